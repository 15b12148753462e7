import QRCode from 'qrcode';
import { useEffect, useState } from 'preact/hooks';
import type { PublicTicket } from '../protocol/tickets.js';
import { api } from '../ui-shared/api.js';
import { errorText } from '../ui-shared/errors.js';
import { t } from '../ui-shared/i18n/index.js';
import { clockTime } from '../ui-shared/time.js';
import { onlineTokens } from '../ui-shared/online-tickets.js';

/**
 * A number taken online, not yet in the hall: how to confirm arrival (the entrance QR code, its
 * 6 digits typed here, or the arrival code at the kiosk), and, once passed over, until when.
 */
export function NotArrived({ ticket, token, timeZone, onArrived }: {
  ticket: PublicTicket; token: string; timeZone: string; onArrived: (ticket: PublicTicket) => void;
}) {
  const online = ticket.online!;
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [qr, setQr] = useState('');
  useEffect(() => {
    if (online.arrivalCode) void QRCode.toString(online.arrivalCode, { type: 'svg', margin: 1 }).then(setQr);
  }, [online.arrivalCode]);

  async function arrive(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onArrived(await api('POST /public/tickets/:token/arrive', { token }, { code }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card not-arrived" data-testid="not-arrived">
      {online.graceUntil !== null
        ? <p class="what-now" role="alert" data-testid="passed">{t('phone.online.passed', { time: clockTime(online.graceUntil, timeZone) })}</p>
        : <p class="what-now" data-testid="come-in">{t('phone.online.comeIn')}</p>}
      <h2>{t('phone.online.title')}</h2>
      <p>{t('phone.online.scan')}</p>
      <form class="entrance" onSubmit={(e) => void arrive(e)}>
        <label for="entrance-code">{t('phone.online.entranceCode')}</label>
        <input id="entrance-code" name="code" inputMode="numeric" autoComplete="off" required maxLength={6} pattern="[0-9]{6}" value={code}
          onInput={(e) => setCode(e.currentTarget.value.replace(/\D/g, ''))} aria-describedby={error ? 'arrive-error' : undefined} aria-invalid={error ? 'true' : undefined} />
        <button type="submit" class="arrive" disabled={busy || code.length !== 6}>{t('phone.online.confirm')}</button>
      </form>
      {error && <div class="error-banner" id="arrive-error" role="alert">{error}</div>}
      {online.arrivalCode && (
        <div class="arrival-code">
          <p>{t('phone.online.atKiosk')}</p>
          <strong data-testid="arrival-code">{online.arrivalCode}</strong>
          {/* The kiosk's scanner reads the code from this QR code. */}
          <div class="qr" role="img" aria-label={t('phone.online.qrLabel')} dangerouslySetInnerHTML={{ __html: qr }} />
        </div>
      )}
    </section>
  );
}

/**
 * What the hall's entrance QR code opens (/arrive/{hallId}#code): the numbers taken online on
 * this phone are confirmed as arrived, and the phone page of the first one opens. Without one
 * (another browser scanned it), the citizen is told to type the code on their number's page.
 */
export function EntrancePage() {
  const code = /(\d{6})/.exec(location.hash)?.[1] ?? '';
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    void (async () => {
      let last: unknown = null;
      for (const token of onlineTokens()) {
        try {
          await api('POST /public/tickets/:token/arrive', { token }, { code });
          location.replace(`/t/${token}`);
          return;
        } catch (err) {
          last = err;
        }
      }
      setMessage(last === null ? t('phone.online.noTicketHere', { code }) : errorText(last));
    })();
  }, [code]);
  return (
    <main class="phone">
      <div class="card center" role={message ? 'alert' : 'status'} data-testid="entrance">
        {message ?? t('common.loading')}
      </div>
    </main>
  );
}
