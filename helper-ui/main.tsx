import { render } from 'preact';
import { useCallback, useMemo, useState } from 'preact/hooks';
import type { SessionView } from '../protocol/auth.js';
import type { HallView } from '../protocol/halls.js';
import type { QueueSnapshot, ServiceQueue } from '../protocol/queue.js';
import { issuingState } from '../protocol/issuing.js';
import type { TicketView } from '../protocol/tickets.js';
import { AccountSetup, setupNeeded, signOut } from '../ui-shared/account.js';
import { api, useCsrfToken } from '../ui-shared/api.js';
import { ConnectionOverlay, Emblem, LangSwitch } from '../ui-shared/components.js';
import { errorText } from '../ui-shared/errors.js';
import { debounce, useFeed } from '../ui-shared/feed.js';
import { type Key, nameOf, t, useLang } from '../ui-shared/i18n/index.js';
import { Login } from '../ui-shared/login.js';
import { fitPageToSlip, phonePageQr, Slip, type SlipTicket } from '../ui-shared/slip.js';
import { useStaffSession } from '../ui-shared/staff-session.js';
import '../ui-shared/base.css';
import './helper.css';

/** The usual 绿色通道 reasons, one tap each; anything else is typed. */
const REASONS = ['helper.reason.elderly', 'helper.reason.disabled', 'helper.reason.pregnant', 'helper.reason.military'] as const;


/**
 * 帮办 tablet: a helper takes a number for a citizen who cannot use the kiosk (or checks in their
 * booking), marks the 绿色通道 with the reason, leaves a note for the clerk, and hands over the
 * number: the citizen scans the QR on the screen, or the slip is printed.
 */
function Helper({ session, hall, onSignedOut }: { session: SessionView; hall: HallView; onSignedOut: () => void }) {
  useLang();
  const hallId = hall.id;
  const [snapshot, setSnapshot] = useState<QueueSnapshot | null>(null);
  const [green, setGreen] = useState(false);
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  /** 补正后再来: the earlier visits found by their number, to continue one. */
  const [earlierNumber, setEarlierNumber] = useState('');
  const [earlier, setEarlier] = useState<TicketView[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [issued, setIssued] = useState<SlipTicket | null>(null);

  const load = useCallback(async () => {
    const snap = await api('GET /halls/:hallId/queue', { hallId });
    setSnapshot(snap);
    return { lastSeq: snap.lastSeq };
  }, [hallId]);
  const reload = useMemo(() => debounce(() => void load().catch((err: unknown) => setError(errorText(err))), 250), [load]);
  const status = useFeed({ auth: {}, load, onEvent: reload });

  const clear = () => {
    setIssued(null);
    setGreen(false);
    setReason('');
    setNote('');
    setPhone('');
    setCode('');
    setEarlierNumber('');
    setEarlier(null);
    setError(null);
  };
  async function hand(res: { ticket: SlipTicket['ticket'] & { token: string }; estimate: SlipTicket['estimate'] }, service: SlipTicket['service']) {
    setIssued({ ticket: res.ticket, estimate: res.estimate, service, qr: await phonePageQr(res.ticket.token) });
  }
  async function run(send: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await send();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  const take = (s: ServiceQueue) => run(async () => {
    const res = await api('POST /halls/:hallId/tickets', { hallId }, {
      serviceId: s.serviceId,
      priorityClass: green ? 'priority' : 'normal',
      ...(green ? { priorityReason: reason.trim() } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
      ...(phone.trim() ? { phone: phone.trim() } : {}),
    });
    await hand(res, s);
  });
  const checkIn = () => run(async () => {
    const res = await api('POST /halls/:hallId/appointments/check-in', { hallId }, { code: code.replace(/\s/g, '') });
    await hand(res, { nameZh: res.appointment.serviceNameZh, nameEn: res.appointment.serviceNameEn });
  });
  const findEarlier = () => run(async () => {
    setEarlier(await api('GET /halls/:hallId/tickets', { hallId, displayNumber: earlierNumber.trim(), outcome: 'supplement', status: 'done', limit: 5 }));
  });
  /** The returning citizen queues for the same service, their visit linked to the earlier one. */
  const continueVisit = (prev: TicketView) => run(async () => {
    const res = await api('POST /halls/:hallId/tickets', { hallId }, {
      serviceId: prev.serviceId, followsTicketId: prev.id, ...(phone.trim() ? { phone: phone.trim() } : {}), ...(note.trim() ? { note: note.trim() } : {}),
    });
    const s = snapshot?.services.find((x) => x.serviceId === prev.serviceId);
    await hand(res, s ?? { nameZh: '', nameEn: '' });
  });
  const print = () => {
    fitPageToSlip();
    window.print();
  };
  // A 绿色通道 number says why: the tablet asks before any service can be tapped.
  const missingReason = green && reason.trim() === '';

  return (
    <div class="helper">
      <header class="bar">
        <Emblem />
        <div class="bar-title"><strong>{t('helper.title')}</strong><span>{hall.name}</span></div>
        <span>{session.staff.displayName}</span>
        <LangSwitch />
        <button type="button" class="link" onClick={() => void signOut(onSignedOut, setError)}>{t('counter.logout')}</button>
      </header>
      {error && <div class="error-banner" role="alert">{error}</div>}
      {issued ? (
        <main class="handed" data-testid="handed">
          <div class="handed-label">{t('kiosk.yourNumber')}</div>
          <div class="handed-number" data-testid="handed-number">{issued.ticket.displayNumber}</div>
          <div class="handed-service">{nameOf(issued.service)}{issued.ticket.priorityClass !== 'normal' ? ` · ${t(`class.${issued.ticket.priorityClass}` as Key)}` : ''}</div>
          <div>{t('kiosk.ahead', { n: issued.estimate.peopleAhead })}</div>
          <div class="handed-qr" dangerouslySetInnerHTML={{ __html: issued.qr }} />
          <p>{t('helper.scan')}</p>
          <div class="handed-actions">
            <button type="button" class="ghost" data-testid="print" onClick={print}>{t('kiosk.print')}</button>
            <button type="button" class="primary" data-testid="next-citizen" onClick={clear}>{t('helper.next')}</button>
          </div>
          <Slip issued={issued} hallName={hall.name} timeZone={hall.timezone} />
        </main>
      ) : (
        <main class="issue">
          <section class="options">
            <label class="check big">
              <input type="checkbox" name="green" checked={green} onChange={(e) => setGreen(e.currentTarget.checked)} />
              {t('kiosk.green')}
            </label>
            {green && (
              <fieldset class="reasons">
                <legend>{t('helper.reason')}</legend>
                <div class="reason-chips">
                  {REASONS.map((k) => (
                    <button type="button" key={k} class={reason === t(k) ? 'chip on' : 'chip'} aria-pressed={reason === t(k)} onClick={() => setReason(t(k))}>{t(k)}</button>
                  ))}
                </div>
                <label class="field"><span>{t('helper.reasonOther')}</span><input name="priorityReason" value={reason} maxLength={100} onInput={(e) => setReason(e.currentTarget.value)} /></label>
              </fieldset>
            )}
            <label class="field"><span>{t('helper.note')}</span>
              <textarea name="note" rows={3} maxLength={200} value={note} placeholder={t('helper.notePlaceholder')} onInput={(e) => setNote(e.currentTarget.value)} />
            </label>
            <label class="field"><span>{t('helper.phone')}</span>
              <input name="phone" type="tel" inputMode="numeric" autoComplete="off" maxLength={11} value={phone} onInput={(e) => setPhone(e.currentTarget.value)} />
            </label>
            <form class="checkin-row" onSubmit={(e) => {
              e.preventDefault();
              void findEarlier();
            }}>
              <label class="field"><span>{t('helper.returning')}</span>
                <input name="earlierNumber" autoComplete="off" maxLength={5} value={earlierNumber} placeholder="A023" onInput={(e) => setEarlierNumber(e.currentTarget.value)} />
              </label>
              <button type="submit" class="ghost" disabled={busy || earlierNumber.trim() === ''}>{t('helper.find')}</button>
            </form>
            {earlier && (earlier.length === 0 ? <p class="hint" role="status">{t('helper.noEarlier')}</p> : (
              <ul class="earlier" data-testid="earlier">
                {earlier.map((x) => (
                  <li key={x.id}>
                    <button type="button" class="ghost" disabled={busy} onClick={() => void continueVisit(x)}>
                      {t('helper.continue', { number: x.displayNumber, day: x.businessDay })}
                    </button>
                  </li>
                ))}
              </ul>
            ))}
            <form class="checkin-row" onSubmit={(e) => {
              e.preventDefault();
              void checkIn();
            }}>
              <label class="field"><span>{t('kiosk.checkIn')}</span>
                <input name="code" inputMode="numeric" autoComplete="off" maxLength={9} value={code} placeholder="12345678" onInput={(e) => setCode(e.currentTarget.value)} />
              </label>
              <button type="submit" class="primary" disabled={busy || code.replace(/\s/g, '').length !== 8}>{t('kiosk.checkInSubmit')}</button>
            </form>
          </section>
          <section class="services">
            <h2>{t('kiosk.pick')}</h2>
            {missingReason && <p class="hint" role="status">{t('helper.reasonFirst')}</p>}
            <div class="service-grid">
              {(snapshot?.services ?? []).filter((s) => s.active).map((s) => {
                // The kiosk's rule: a service whose quota is used up takes no number here either.
                const state = issuingState(s);
                return (
                  <button type="button" key={s.serviceId} class="service" disabled={busy || missingReason || state !== 'open'} data-testid={`helper-service-${s.code}`} onClick={() => void take(s)}>
                    <b>{s.prefix}</b> {nameOf(s)}
                    <small>{state === 'open' ? t('kiosk.waiting', { n: s.waiting }) : state === 'full' ? t('kiosk.full') : t('kiosk.notNow')}</small>
                  </button>
                );
              })}
            </div>
          </section>
        </main>
      )}
      <ConnectionOverlay status={status} />
    </div>
  );
}

function App() {
  useLang();
  const { session, hall, refresh } = useStaffSession();
  if (session === undefined) return null;
  if (session && setupNeeded(session)) return <AccountSetup session={session} title={t('helper.signIn')} onDone={() => void refresh()} />;
  if (session === null || !hall) return <Login title={t('helper.signIn')} onSession={(s) => { useCsrfToken(s.csrfToken); void refresh(); }} />;
  return <Helper session={session} hall={hall} onSignedOut={() => void refresh()} />;
}

render(<App />, document.getElementById('app')!);
