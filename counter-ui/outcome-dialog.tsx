import { useState } from 'preact/hooks';
import type { FinishBody } from '../protocol/tickets.js';
import { Dialog } from '../ui-shared/dialog.js';
import { t, useLang } from '../ui-shared/i18n/index.js';

type Result = Omit<FinishBody, 'ticketId'>;

/**
 * Finishing with another outcome than 办结: 补正告知 lists every missing material at once (一次性
 * 告知, printed for the citizen) — ticked from the service's materials list (办事指南), with more
 * lines typed where the list does not have them — and 不予受理 gives the reason.
 */
export function OutcomeDialog({ number, guide, onCancel, onSubmit }: {
  number: string;
  /** The service's materials list: each can be ticked as missing. */
  guide: readonly string[];
  onCancel: () => void;
  onSubmit: (result: Result, print: boolean) => void;
}) {
  useLang();
  const [outcome, setOutcome] = useState<'supplement' | 'rejected'>('supplement');
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  const [materials, setMaterials] = useState('');
  const [reason, setReason] = useState('');
  const typed = materials.split('\n').map((l) => l.trim()).filter(Boolean);
  // The list's order first, then the typed lines; a line typed that is also ticked counts once.
  const list = [...guide.filter((m) => ticked.has(m)), ...typed.filter((m) => !ticked.has(m))];
  const ready = outcome === 'supplement' ? list.length > 0 : reason.trim() !== '';
  const submit = (print: boolean) => {
    if (!ready) return;
    onSubmit(outcome === 'supplement' ? { outcome, materials: list } : { outcome, reason: reason.trim() }, print);
  };
  const tick = (m: string, on: boolean) => {
    const next = new Set(ticked);
    if (on) next.add(m);
    else next.delete(m);
    setTicked(next);
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
          <>
            {guide.length > 0 && (
              <fieldset class="guide-list" data-testid="guide-list">
                <legend>{t('counter.guideMissing')}</legend>
                {guide.map((m) => (
                  <label key={m}><input type="checkbox" checked={ticked.has(m)} onChange={(e) => tick(m, e.currentTarget.checked)} /> {m}</label>
                ))}
              </fieldset>
            )}
            <label>{guide.length > 0 ? t('counter.materialsOther') : t('counter.materials')}
              <textarea name="materials" rows={guide.length > 0 ? 3 : 5} value={materials} onInput={(e) => setMaterials(e.currentTarget.value)} />
            </label>
          </>
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
export interface Sheet {
  hallName: string;
  number: string;
  service: string;
  window: string;
  /** The clerk: name, and the staff number the system knows them by. */
  /** The clerk, by name and 工号 (their staff number; the account's id, zero-padded, where none is set). */
  clerk: { name: string; id: number; staffNumber: string | null };
  /** When it was issued, in the hall's time ("2026-11-25 10:42"). */
  issuedAt: string;
  materials: string[];
}

/**
 * The 一次性告知单 as printed for the citizen: the hall, the service, the number, the window, the
 * clerk (经办人, with their staff number), the date, every missing material, and places for the
 * clerk's and citizen's signatures and the window's stamp.
 */
export function SupplementSheet({ hallName, number, service, window, clerk, issuedAt, materials }: Sheet) {
  return (
    <div class="print-sheet" aria-hidden="true" data-testid="supplement-sheet">
      <h1>{hallName}</h1>
      <h2>{t('counter.sheetTitle')}</h2>
      <table class="sheet-facts">
        <tbody>
          <tr><th>{t('counter.sheet.service')}</th><td>{service}</td><th>{t('counter.sheet.number')}</th><td>{number}</td></tr>
          <tr><th>{t('counter.sheet.window')}</th><td>{t('counter.window', { n: window })}</td><th>{t('counter.sheet.clerk')}</th><td>{t('counter.sheet.clerkIs', { name: clerk.name, id: clerk.staffNumber ?? String(clerk.id).padStart(4, '0') })}</td></tr>
          <tr><th>{t('counter.sheet.date')}</th><td colSpan={3}>{issuedAt}</td></tr>
        </tbody>
      </table>
      <h3>{t('counter.sheet.missing')}</h3>
      <ol>{materials.map((m) => <li key={m}>{m}</li>)}</ol>
      <p>{t('counter.sheetNote')}</p>
      <div class="sheet-signatures">
        <span>{t('counter.sheet.clerkSigns')}</span>
        <span>{t('counter.sheet.citizenSigns')}</span>
        <span class="stamp">{t('counter.sheet.stamp')}</span>
      </div>
    </div>
  );
}
