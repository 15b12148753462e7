import { useState } from 'preact/hooks';
import { complaintSources } from '../protocol/constants.js';
import type { ComplaintBody, ComplaintView } from '../protocol/evaluations.js';
import { ApiError, api } from '../ui-shared/api.js';
import { errorText, failedFields } from '../ui-shared/errors.js';
import { type Key, t } from '../ui-shared/i18n/index.js';
import { instantInZone } from '../ui-shared/time.js';
import { type HallNames, when } from './hall-names.js';

const EMPTY = { source: 'comment_book' as ComplaintBody['source'], displayNumber: '', businessDay: '', windowId: '', content: '', contact: '', reference: '', receivedAt: '' };

/**
 * 登记投诉: a complaint that came by another channel (意见簿, 12345, a call) entered by the manager,
 * about a ticket (its number and day) or a window. It opens a case like a 差评.
 */
export function ComplaintForm({ hallId, timeZone, names, onDone, onCancel }: {
  hallId: number; timeZone: string; names: HallNames; onDone: (caseId: number) => void; onCancel: () => void;
}) {
  const [form, setForm] = useState(EMPTY);
  const [error, setError] = useState<{ text: string; fields: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (change: Partial<typeof EMPTY>) => setForm((f) => ({ ...f, ...change }));
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const opened = await api('POST /halls/:hallId/complaints', { hallId }, {
        source: form.source, content: form.content,
        ...(form.displayNumber.trim() ? { displayNumber: form.displayNumber.trim() } : {}),
        ...(form.businessDay ? { businessDay: form.businessDay } : {}),
        ...(form.windowId ? { windowId: Number(form.windowId) } : {}),
        ...(form.contact.trim() ? { contact: form.contact.trim() } : {}),
        ...(form.reference.trim() ? { reference: form.reference.trim() } : {}),
        ...(form.receivedAt ? { receivedAt: instantInZone(form.receivedAt, timeZone) } : {}),
      });
      setForm(EMPTY);
      onDone(opened.id);
    } catch (err) {
      setError({ text: errorText(err), fields: err instanceof ApiError ? failedFields(err) : [] });
    } finally {
      setBusy(false);
    }
  };
  const invalid = (field: string) => (error?.fields.includes(`body.${field}`) ? { 'aria-invalid': true, 'aria-describedby': 'complaint-error' } : {});
  return (
    <form class="panel complaint-form" data-testid="complaint-form" onSubmit={(e) => {
      e.preventDefault();
      void submit();
    }}>
      <h3>{t('mgr.complaintNew')}</h3>
      <p class="muted">{t('mgr.complaintHelp')}</p>
      <div class="form-grid">
        <label>{t('mgr.complaintSource')}
          <select name="source" value={form.source} onChange={(e) => set({ source: e.currentTarget.value as ComplaintBody['source'] })}>
            {complaintSources.map((s) => <option key={s} value={s}>{t(`mgr.caseSource.${s}` as Key)}</option>)}
          </select>
        </label>
        <label>{t('mgr.complaintReceived')}
          <input type="datetime-local" name="receivedAt" value={form.receivedAt} onInput={(e) => set({ receivedAt: e.currentTarget.value })} {...invalid('receivedAt')} />
        </label>
        <label>{t('mgr.complaintNumber')}
          <input name="displayNumber" autoComplete="off" maxLength={5} placeholder="A023" value={form.displayNumber} onInput={(e) => set({ displayNumber: e.currentTarget.value })} {...invalid('displayNumber')} />
        </label>
        <label>{t('mgr.complaintDay')}
          <input type="date" name="businessDay" value={form.businessDay} onInput={(e) => set({ businessDay: e.currentTarget.value })} {...invalid('businessDay')} />
        </label>
        <label>{t('mgr.complaintWindow')}
          <select name="windowId" value={form.windowId} onChange={(e) => set({ windowId: e.currentTarget.value })} {...invalid('windowId')}>
            <option value="">—</option>
            {names.windows.map((w) => <option key={w.id} value={w.id}>{w.number}</option>)}
          </select>
        </label>
        <label>{t('mgr.complaintReference')}
          <input name="reference" autoComplete="off" maxLength={40} value={form.reference} onInput={(e) => set({ reference: e.currentTarget.value })} {...invalid('reference')} />
        </label>
        <label>{t('mgr.contact')}
          <input name="contact" type="tel" autoComplete="off" maxLength={20} value={form.contact} onInput={(e) => set({ contact: e.currentTarget.value })} {...invalid('contact')} />
        </label>
      </div>
      <label class="wide">{t('mgr.complaintContent')}
        <textarea name="content" required maxLength={1000} value={form.content} onInput={(e) => set({ content: e.currentTarget.value })} {...invalid('content')} />
      </label>
      {error && <div class="error-banner" role="alert" id="complaint-error">{error.text}</div>}
      <div class="row">
        <button type="submit" class="primary" disabled={busy || !form.content.trim()}>{t('mgr.complaintSubmit')}</button>
        <button type="button" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}

/** A complaint in full, for its case: the channel, when, what was said, about whom, how to call back. */
export function ComplaintFacts({ c, names, timeZone }: { c: ComplaintView; names: HallNames; timeZone: string }) {
  return (
    <dl class="rating-facts" data-testid="complaint-facts">
      <dt>{t('mgr.complaintSource')}</dt><dd>{t(`mgr.caseSource.${c.source}` as Key)}{c.reference ? ` · ${c.reference}` : ''}</dd>
      <dt>{t('mgr.receivedAt')}</dt><dd>{when(c.receivedAt, timeZone)}</dd>
      <dt>{t('mgr.complaintNumber')}</dt><dd>{c.displayNumber ?? '—'}</dd>
      <dt>{t('mgr.service')}</dt><dd>{c.serviceId === null ? '—' : names.service(c.serviceId)}</dd>
      <dt>{t('mgr.window')}</dt><dd>{names.window(c.windowId)}</dd>
      <dt>{t('mgr.clerk')}</dt><dd>{names.person(c.staffId)}</dd>
      <dt>{t('mgr.complaintContent')}</dt><dd data-testid="facts-content">{c.content}</dd>
      <dt>{t('mgr.contact')}</dt><dd data-testid="facts-contact">{c.contact ?? t('mgr.noContact')}</dd>
    </dl>
  );
}
