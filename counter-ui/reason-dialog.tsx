import { useState } from 'preact/hooks';
import { Dialog } from '../ui-shared/dialog.js';
import { t, useLang } from '../ui-shared/i18n/index.js';

/** Asks for the reason an action is recorded with (选叫 out of order, 申诉 against a rating). */
export function ReasonDialog({ title, submitLabel, testId, onCancel, onSubmit }: {
  title: string; submitLabel: string; testId: string; onCancel: () => void; onSubmit: (reason: string) => void;
}) {
  useLang();
  const [reason, setReason] = useState('');
  return (
    <Dialog label={title} onClose={onCancel} testId={testId}>
      <form class="dialog-form" onSubmit={(e) => {
        e.preventDefault();
        if (reason.trim()) onSubmit(reason.trim());
      }}>
        <h2>{title}</h2>
        <label>{t('counter.reasonRequired')}
          <input name="reason" value={reason} maxLength={200} required onInput={(e) => setReason(e.currentTarget.value)} />
        </label>
        <div class="dialog-actions">
          <button type="button" class="ghost" onClick={onCancel}>{t('common.cancel')}</button>
          <button type="submit" class="primary" disabled={!reason.trim()}>{submitLabel}</button>
        </div>
      </form>
    </Dialog>
  );
}
