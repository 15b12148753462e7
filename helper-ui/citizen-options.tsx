import { t } from '../ui-shared/i18n/index.js';

/** What the helper records for the citizen in front of them, sent with the number. */
export interface Citizen {
  green: boolean;
  /** Why the 绿色通道 (required with it). */
  reason: string;
  /** A note for the clerk. */
  note: string;
  /** A mobile number for SMS notices. */
  phone: string;
}
export const newCitizen: Citizen = { green: false, reason: '', note: '', phone: '' };

/** The usual 绿色通道 reasons, one tap each; anything else is typed. */
const REASONS = ['helper.reason.elderly', 'helper.reason.disabled', 'helper.reason.pregnant', 'helper.reason.military'] as const;

export function CitizenOptions({ citizen, onChange }: { citizen: Citizen; onChange: (change: Partial<Citizen>) => void }) {
  const { green, reason, note, phone } = citizen;
  return (
    <>
      <label class="check big">
        <input type="checkbox" name="green" checked={green} onChange={(e) => onChange({ green: e.currentTarget.checked })} />
        {t('kiosk.green')}
      </label>
      {green && (
        <fieldset class="reasons">
          <legend>{t('helper.reason')}</legend>
          <div class="reason-chips">
            {REASONS.map((k) => (
              <button type="button" key={k} class={reason === t(k) ? 'chip on' : 'chip'} aria-pressed={reason === t(k)} onClick={() => onChange({ reason: t(k) })}>{t(k)}</button>
            ))}
          </div>
          <label class="field"><span>{t('helper.reasonOther')}</span><input name="priorityReason" value={reason} maxLength={100} onInput={(e) => onChange({ reason: e.currentTarget.value })} /></label>
        </fieldset>
      )}
      <label class="field"><span>{t('helper.note')}</span>
        <textarea name="note" rows={3} maxLength={200} value={note} placeholder={t('helper.notePlaceholder')} onInput={(e) => onChange({ note: e.currentTarget.value })} />
      </label>
      <label class="field"><span>{t('helper.phone')}</span>
        <input name="phone" type="tel" inputMode="numeric" autoComplete="off" maxLength={11} value={phone} onInput={(e) => onChange({ phone: e.currentTarget.value })} />
      </label>
    </>
  );
}
