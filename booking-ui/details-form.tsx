import { useEffect, useState } from 'preact/hooks';
import type { PublicAppointment } from '../protocol/appointments.js';
import { maskContact } from '../protocol/masking.js';
import { clockTime } from '../ui-shared/time.js';
import { api, ApiError } from '../ui-shared/api.js';
import { nameOf, t } from '../ui-shared/i18n/index.js';
import { dayLabel } from './booked.js';
import type { Day, Info, Service, Slot } from './types.js';

/** What the citizen typed: kept by the page, so that another slot after SLOT_FULL needs no retyping (nor a new code). */
export interface Draft {
  name: string;
  phone: string;
  code: string;
  codeSent: { phone: string; resendAfter: number } | null;
}
export const emptyDraft: Draft = { name: '', phone: '', code: '', codeSent: null };

/**
 * The one-time SMS code that proves the number (bookings and 在线排队 alike): asks for it and
 * counts down until another may be asked for.
 */
export function usePhoneCode(hallId: number, draft: Draft, onDraft: (change: Partial<Draft>) => void, onError: (err: unknown | null) => void) {
  const { phone, codeSent } = draft;
  const [now, setNow] = useState(Date.now());
  // The resend countdown: the server says when another code may be asked for.
  useEffect(() => {
    if (!codeSent || codeSent.resendAfter <= Date.now()) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [codeSent]);
  const resendIn = codeSent ? Math.max(0, Math.ceil((codeSent.resendAfter - now) / 1000)) : 0;

  async function sendCode() {
    onError(null);
    try {
      const sent = await api('POST /public/halls/:hallId/phone-codes', { hallId }, { phone });
      // Counted down on this phone's clock (it may differ from the server's): the wait is
      // resendAfter minus the moment it was sent, and expiresAt is 10 minutes after that moment.
      onDraft({ codeSent: { phone, resendAfter: Date.now() + (sent.resendAfter - sent.expiresAt + 10 * 60_000) } });
      setNow(Date.now());
    } catch (err) {
      onError(err);
    }
  }
  return { resendIn, sendCode };
}

/** The citizen's name and mobile number (proven by an SMS code where the hall has a gateway), then 提交预约. */
export function DetailsForm({ info, service, day, slot, draft, onDraft, invalidFields, onBack, onBooked, onSlotFull, onError }: {
  info: Info;
  draft: Draft;
  onDraft: (change: Partial<Draft>) => void;
  service: Service;
  day: Day;
  slot: Slot;
  invalidFields: string[];
  onBack: () => void;
  onBooked: (booked: { code: string; appointment: PublicAppointment }) => void;
  onSlotFull: () => void;
  /** A refusal to show (null clears the one shown). */
  onError: (err: unknown | null) => void;
}) {
  const { name, phone, code, codeSent } = draft;
  const [busy, setBusy] = useState(false);
  const timeZone = info.hall.timezone;
  const { resendIn, sendCode } = usePhoneCode(info.hall.id, draft, onDraft, onError);

  async function submit() {
    setBusy(true);
    onError(null);
    try {
      const body = { serviceId: service.serviceId, slotStart: slot.start, name, phone, ...(info.verification === 'sms' ? { code } : {}) };
      onBooked(await api('POST /public/halls/:hallId/appointments', { hallId: info.hall.id }, body));
    } catch (err) {
      onError(err);
      // The slot may have filled meanwhile: back to the places as they are now.
      if (err instanceof ApiError && err.code === 'SLOT_FULL') onSlotFull();
    } finally {
      setBusy(false);
    }
  }

  const invalid = (f: string) => (invalidFields.includes(f) ? { 'aria-invalid': 'true' as const, 'aria-describedby': 'booking-error' } : {});
  return (
    <section class="card">
      <button type="button" class="link-button" onClick={onBack}>← {t('book.back')}</button>
      <h2>{nameOf(service)}</h2>
      <p class="when" data-testid="chosen-slot">{t('book.when', { day: dayLabel(day.day), from: clockTime(slot.start, timeZone), to: clockTime(slot.end, timeZone) })}</p>
      <h3>{t('book.yourDetails')}</h3>
      <form class="details" onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}>
        <label class="field">
          <span>{t('book.name')}</span>
          <input name="name" autoComplete="name" required maxLength={40} value={name} onInput={(e) => onDraft({ name: e.currentTarget.value })} {...invalid('name')} />
        </label>
        <label class="field">
          <span>{t('book.phone')}</span>
          <input name="phone" type="tel" inputMode="numeric" autoComplete="tel" required maxLength={11} value={phone} onInput={(e) => onDraft({ phone: e.currentTarget.value })} aria-describedby="phone-hint" {...invalid('phone')} />
          <small id="phone-hint">{t('book.phoneHint')}</small>
        </label>
        {info.verification === 'sms' && (
          <div class="field verify">
            <label for="verify-code">{t('book.verifyCode')}</label>
            <div class="verify-row">
              <input id="verify-code" name="code" inputMode="numeric" autoComplete="one-time-code" required maxLength={6} pattern="[0-9]{6}" value={code}
                onInput={(e) => onDraft({ code: e.currentTarget.value.replace(/\D/g, '') })} aria-describedby="code-hint" {...invalid('code')} />
              <button type="button" class="secondary" data-testid="send-code" disabled={!/^1[3-9]\d{9}$/.test(phone) || resendIn > 0} onClick={() => void sendCode()}>
                {resendIn > 0 ? t('book.resendIn', { s: resendIn }) : t('book.sendCode')}
              </button>
            </div>
            <small id="code-hint" role="status">{codeSent ? t('book.codeSent', { phone: maskContact(codeSent.phone) }) : ''}</small>
          </div>
        )}
        {info.verification === 'unconfirmed' && <p class="hint" data-testid="unconfirmed-hint">{t('book.unconfirmedHint')}</p>}
        <button type="submit" class="primary big" disabled={busy}>{t('book.submit')}</button>
      </form>
    </section>
  );
}
