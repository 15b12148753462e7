import { useEffect, useState } from 'preact/hooks';
import type { PublicAppointment } from '../protocol/appointments.js';
import type { TicketView, WaitEstimate } from '../protocol/tickets.js';
import { api } from '../ui-shared/api.js';
import { errorText } from '../ui-shared/errors.js';
import { nameOf, t } from '../ui-shared/i18n/index.js';
import { fitPageToSlip, Slip } from '../ui-shared/slip.js';
import { DigitPad } from './digit-pad.js';

export const IDLE_SECONDS = 20;

export interface Issued {
  /** The issue response is the only place the ticket's token (the citizen's key) is sent. */
  ticket: TicketView & { token: string };
  estimate: WaitEstimate;
  /** The service's names and materials list, as the slip shows them. */
  service: { nameZh: string; nameEn: string; materials?: readonly string[] };
  qr: string;
  /** Set when the ticket came from a booking's check-in. */
  appointment?: PublicAppointment;
}

/**
 * The number just taken: on the screen with the phone page's QR, on paper, and (optionally) a
 * mobile number for SMS notices. Counts down to the home screen; any touch restarts the count.
 */
export function IssuedScreen({ issued, hallName, timeZone, onHome }: { issued: Issued; hallName: string; timeZone: string; onHome: () => void }) {
  const [countdown, setCountdown] = useState(IDLE_SECONDS);
  /** The citizen types a mobile number for SMS notices (optional), then it is saved. */
  const [sms, setSms] = useState<'no' | 'typing' | 'saved'>('no');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setCountdown(IDLE_SECONDS);
    const timer = setInterval(() => setCountdown((n) => (n <= 1 ? 0 : n - 1)), 1000);
    const touch = () => setCountdown(IDLE_SECONDS);
    window.addEventListener('pointerdown', touch);
    return () => {
      clearInterval(timer);
      window.removeEventListener('pointerdown', touch);
    };
  }, [issued]);
  useEffect(() => {
    if (countdown === 0) onHome();
  }, [countdown]);

  async function savePhone(phone: string) {
    setBusy(true);
    setError(null);
    try {
      await api('POST /public/tickets/:token/phone', { token: issued.ticket.token }, { phone });
      setSms('saved');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  if (sms === 'typing') {
    return (
      <main class="checkin" data-testid="sms-entry">
        {error && <div class="error-banner" role="alert">{error}</div>}
        <DigitPad
          length={11} title={t('kiosk.smsTitle')} hint={t('kiosk.smsHint')} label={t('book.phone')} submitLabel={t('kiosk.smsSubmit')} busy={busy}
          onCancel={() => setSms('no')} onDigits={(phone) => void savePhone(phone)}
        />
      </main>
    );
  }
  return (
    <main class="issued" data-testid="issued">
      <div class="issued-label">{t('kiosk.yourNumber')}</div>
      <div class="issued-number" data-testid="issued-number">{issued.ticket.displayNumber}</div>
      <div class="issued-service">{nameOf(issued.service)}{issued.ticket.priorityClass !== 'normal' ? ` · ${t(`class.${issued.ticket.priorityClass}`)}` : ''}</div>
      {issued.appointment && (
        <div class={`issued-appointment ${issued.appointment.late ? 'late' : ''}`} role="status" data-testid="checked-in">
          {issued.appointment.late ? t('kiosk.checkedInLate') : t('kiosk.checkedIn')}
        </div>
      )}
      <div class="issued-facts">
        <div>{t('kiosk.ahead', { n: issued.estimate.peopleAhead })}</div>
        <div>{issued.estimate.estimatedWaitMinutes === null ? t('kiosk.noEstimate') : t('kiosk.estimate', { n: issued.estimate.estimatedWaitMinutes })}</div>
      </div>
      {issued.service.materials && issued.service.materials.length > 0 && (
        <section class="issued-materials" aria-labelledby="bring-title" data-testid="materials">
          <h2 id="bring-title">{t('materials.bring')}</h2>
          <ul>{issued.service.materials.map((m) => <li key={m}>{m}</li>)}</ul>
        </section>
      )}
      <div class="issued-qr">
        <div dangerouslySetInnerHTML={{ __html: issued.qr }} />
        <div>{t('kiosk.scan')}</div>
      </div>
      <div class="issued-take">{t('kiosk.printing')}</div>
      {sms === 'saved' && <div class="issued-appointment" role="status" data-testid="sms-saved">{t('kiosk.smsDone')}</div>}
      <div class="issued-actions">
        {sms === 'no' && <button type="button" class="ghost" data-testid="sms" onClick={() => { setError(null); setSms('typing'); }}>{t('kiosk.sms')}</button>}
        <button type="button" class="ghost" onClick={() => { fitPageToSlip(); window.print(); }}>{t('kiosk.print')}</button>
        <button type="button" class="primary" onClick={onHome}>{t('kiosk.back', { n: countdown })}</button>
      </div>
      <Slip issued={issued} hallName={hallName} timeZone={timeZone} />
    </main>
  );
}
