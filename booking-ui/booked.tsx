import { useEffect, useState } from 'preact/hooks';
import QRCode from 'qrcode';
import type { PublicAppointment } from '../protocol/appointments.js';
import { clockTime } from '../ui-shared/time.js';
import { api } from '../ui-shared/api.js';
import { errorText } from '../ui-shared/errors.js';
import { lang, nameOf, t } from '../ui-shared/i18n/index.js';
import { MaterialsList } from '../ui-shared/materials.js';

export function dayLabel(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return d.toLocaleDateString(lang() === 'zh' ? 'zh-CN' : 'en-GB', { month: 'short', day: 'numeric', weekday: 'short', timeZone: 'UTC' });
}
/** The check-in code as the QR carries it: this page's address, so a phone camera opens the booking too. */
const codeUrl = (code: string) => `${location.origin}/book#code=${code}`;

export function Booked({ code, appointment, timeZone, onCancelled }: { code: string; appointment: PublicAppointment; timeZone: string; onCancelled: (a: PublicAppointment) => void }) {
  const [qr, setQr] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void QRCode.toString(codeUrl(code), { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then(setQr), [code]);
  async function cancel() {
    if (!confirm(t('book.cancelConfirm'))) return;
    try {
      onCancelled(await api('POST /public/appointments/:code/cancel', { code }));
    } catch (err) {
      setError(errorText(err));
    }
  }
  const a = appointment;
  return (
    <section class="card booked" data-testid="booked">
      <div class={`pill ${a.status}`} data-testid="booking-status">{t(`book.status.${a.status}`)}</div>
      {a.status === 'booked' && !a.confirmed && <div class="pill unconfirmed" data-testid="booking-unconfirmed">{t('book.unconfirmed')}</div>}
      <h2>{nameOf({ nameZh: a.serviceNameZh, nameEn: a.serviceNameEn })}</h2>
      <p class="when">{t('book.when', { day: dayLabel(a.day), from: clockTime(a.slotStart, timeZone), to: clockTime(a.slotEnd, timeZone) })}</p>
      <p class="who">{a.hallName} · {a.name} · {a.phone}</p>
      {a.status === 'booked' && (
        <>
          <div class="code-label">{t('book.code')}</div>
          <div class="code" data-testid="code">{code.replace(/(\d{4})(\d{4})/, '$1 $2')}</div>
          {qr && <div class="qr" role="img" aria-label={t('book.code')} dangerouslySetInnerHTML={{ __html: qr }} />}
          <p class="how" data-testid="how">{t('book.howTo', { from: clockTime(a.priorityFrom, timeZone), until: clockTime(a.priorityUntil, timeZone) })}</p>
          <p class="how">{t('book.keepCode')}</p>
          <button type="button" class="link-button" data-testid="cancel-booking" onClick={() => void cancel()}>{t('book.cancel')}</button>
        </>
      )}
      {a.status === 'booked' && <MaterialsList materials={a.materials} conditions={a.conditions} />}
      {a.ticketNumber && <p class="ticket">{t('book.ticket', { number: a.ticketNumber })}</p>}
      {error && <div class="error-banner" role="alert">{error}</div>}
    </section>
  );
}

export function Lookup({ timeZone, initial }: { timeZone: string; initial: string }) {
  const [code, setCode] = useState(initial);
  const [found, setFound] = useState<{ code: string; appointment: PublicAppointment } | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function find(value: string) {
    setError(null);
    setFound(null);
    try {
      setFound({ code: value, appointment: await api('GET /public/appointments/:code', { code: value }) });
    } catch (err) {
      setError(errorText(err));
    }
  }
  useEffect(() => void (initial && find(initial)), [initial]);
  return (
    <section class="card">
      <h2>{t('book.lookup')}</h2>
      <form class="lookup" onSubmit={(e) => {
        e.preventDefault();
        void find(code.replace(/\s/g, ''));
      }}>
        <label class="field">
          <span>{t('book.code')}</span>
          <input name="code" inputMode="numeric" autoComplete="off" maxLength={9} value={code} onInput={(e) => setCode(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary">{t('book.lookupSubmit')}</button>
      </form>
      {error && <div class="error-banner" role="alert">{error}</div>}
      {found && <Booked code={found.code} appointment={found.appointment} timeZone={timeZone} onCancelled={(a) => setFound({ ...found, appointment: a })} />}
    </section>
  );
}

