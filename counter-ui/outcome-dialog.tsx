import { useState } from 'preact/hooks';
import type { FinishBody } from '../protocol/tickets.js';
import { Dialog } from '../ui-shared/dialog.js';
import { t, useLang } from '../ui-shared/i18n/index.js';

type Result = Omit<FinishBody, 'ticketId'>;

/**
 * Finishing with another outcome than 办结: 补正告知 lists every missing material at once (一次性
 * 告知, one per line, printed for the citizen), 不予受理 gives the reason.
 */
export function OutcomeDialog({ number, onCancel, onSubmit }: { number: string; onCancel: () => void; onSubmit: (result: Result, print: boolean) => void }) {
  useLang();
  const [outcome, setOutcome] = useState<'supplement' | 'rejected'>('supplement');
  const [materials, setMaterials] = useState('');
  const [reason, setReason] = useState('');
  const list = materials.split('\n').map((l) => l.trim()).filter(Boolean);
  const ready = outcome === 'supplement' ? list.length > 0 : reason.trim() !== '';
  const submit = (print: boolean) => {
    if (!ready) return;
    onSubmit(outcome === 'supplement' ? { outcome, materials: list } : { outcome, reason: reason.trim() }, print);
  };
  const title = t('counter.outcomeTitle', { number });
  return (
    <Dialog label={title} onClose={onCancel} testId="outcome-dialog">
      <form class="dialog-form" onSubmit={(e) => {
        e.preventDefault();
        submit(outcome === 'supplement');
      }}>
        <h2>{title}</h2>
        <fieldset class="choice-row">
          <legend>{t('counter.outcome')}</legend>
          <label><input type="radio" name="outcome" value="supplement" checked={outcome === 'supplement'} onChange={() => setOutcome('supplement')} /> {t('outcome.supplement')}</label>
          <label><input type="radio" name="outcome" value="rejected" checked={outcome === 'rejected'} onChange={() => setOutcome('rejected')} /> {t('outcome.rejected')}</label>
        </fieldset>
        {outcome === 'supplement' ? (
          <label>{t('counter.materials')}
            <textarea name="materials" rows={5} value={materials} onInput={(e) => setMaterials(e.currentTarget.value)} />
          </label>
        ) : (
          <label>{t('counter.rejectReason')}
            <textarea name="reason" rows={3} maxLength={300} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          </label>
        )}
        <div class="dialog-actions">
          <button type="button" class="ghost" onClick={onCancel}>{t('common.cancel')}</button>
          {outcome === 'supplement' && <button type="button" class="ghost" disabled={!ready} onClick={() => submit(false)}>{t('counter.finishNoPrint')}</button>}
          <button type="submit" class="primary" disabled={!ready}>{outcome === 'supplement' ? t('counter.finishAndPrint') : t('counter.finishRejected')}</button>
        </div>
      </form>
    </Dialog>
  );
}

/** The 一次性告知单 handed to the citizen: only this is printed (counter.css, print media). */
export function SupplementSheet({ hallName, number, service, materials, day }: { hallName: string; number: string; service: string; materials: string[]; day: string }) {
  return (
    <div class="print-sheet" aria-hidden="true">
      <h1>{hallName}</h1>
      <h2>{t('counter.sheetTitle')}</h2>
      <p>{t('counter.sheetFor', { number, service, day })}</p>
      <ol>{materials.map((m) => <li key={m}>{m}</li>)}</ol>
      <p>{t('counter.sheetNote')}</p>
    </div>
  );
}
