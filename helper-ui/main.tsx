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
import { nameOf, t, useLang } from '../ui-shared/i18n/index.js';
import { Login } from '../ui-shared/login.js';
import { phonePageQr, type SlipTicket } from '../ui-shared/slip.js';
import { useStaffSession } from '../ui-shared/staff-session.js';
import { calendarDay, clockTime } from '../ui-shared/time.js';
import '../ui-shared/base.css';
import './helper.css';
import { type Citizen, CitizenOptions, newCitizen } from './citizen-options.js';
import { Handed } from './handed.js';
import { CheckInRow, Returning } from './lookups.js';

/**
 * 帮办 tablet: a helper takes a number for a citizen who cannot use the kiosk (or checks in their
 * booking), marks the 绿色通道 with the reason, leaves a note for the clerk, and hands over the
 * number: the citizen scans the QR on the screen, or the slip is printed.
 */
function Helper({ session, hall, onSignedOut }: { session: SessionView; hall: HallView; onSignedOut: () => void }) {
  useLang();
  const hallId = hall.id;
  const [snapshot, setSnapshot] = useState<QueueSnapshot | null>(null);
  const [citizen, setCitizen] = useState<Citizen>(newCitizen);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [issued, setIssued] = useState<SlipTicket | null>(null);
  /** The earlier visit (补正) the next number continues, if the helper found one. */
  const [follows, setFollows] = useState<TicketView | null>(null);

  const load = useCallback(async () => {
    const snap = await api('GET /halls/:hallId/queue', { hallId });
    setSnapshot(snap);
    return { lastSeq: snap.lastSeq };
  }, [hallId]);
  const reload = useMemo(() => debounce(() => void load().catch((err: unknown) => setError(errorText(err))), 250), [load]);
  const status = useFeed({ auth: {}, load, onEvent: reload });

  const clear = () => {
    setIssued(null);
    setCitizen(newCitizen);
    setFollows(null);
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
  const { green, reason, note, phone } = citizen;
  const take = (s: ServiceQueue) => run(async () => {
    const res = await api('POST /halls/:hallId/tickets', { hallId }, {
      serviceId: s.serviceId,
      priorityClass: green ? 'priority' : 'normal',
      ...(green ? { priorityReason: reason.trim() } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
      ...(phone.trim() ? { phone: phone.trim() } : {}),
      ...(follows ? { followsTicketId: follows.id } : {}),
    });
    await hand(res, s);
  });
  const checkIn = (code: string) => run(async () => {
    const res = await api('POST /halls/:hallId/appointments/check-in', { hallId }, { code });
    await hand(res, {
      nameZh: res.appointment.serviceNameZh, nameEn: res.appointment.serviceNameEn,
      materials: snapshot?.services.find((s) => s.serviceId === res.ticket.serviceId)?.materials ?? [],
    });
  });
  const [arrived, setArrived] = useState<string | null>(null);
  const arrive = (code: string) => run(async () => {
    setArrived(null);
    const ticket = await api('POST /halls/:hallId/tickets/arrive', { hallId }, { code });
    setArrived(ticket.displayNumber);
  });
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
        <Handed issued={issued} hall={hall} onNext={clear} />
      ) : (
        <main class="issue">
          <section class="options">
            <CitizenOptions citizen={citizen} onChange={(change) => setCitizen((c) => ({ ...c, ...change }))} />
            <Returning hallId={hallId} busy={busy} run={run} chosen={follows} onChoose={setFollows} />
            <CheckInRow busy={busy} onCode={(code) => void checkIn(code)} />
            {hall.settings.onlineQueue && <CheckInRow mode="arrival" busy={busy} onCode={(code) => void arrive(code)} />}
            {arrived && <p class="hint" role="status" data-testid="helper-arrived">{t('kiosk.arrived', { number: arrived })}</p>}
          </section>
          <section class="services">
            <h2>{t('kiosk.pick')}</h2>
            {missingReason && <p class="hint" role="status">{t('helper.reasonFirst')}</p>}
            {follows && (
              <div class="follows" role="status" data-testid="follows-banner">
                <span>{t('helper.following', { number: follows.displayNumber, day: follows.businessDay })}</span>
                <button type="button" class="ghost" onClick={() => setFollows(null)}>{t('helper.notFollowing')}</button>
              </div>
            )}
            {snapshot?.issuing.duty && <p class="hint" role="status" data-testid="duty-hours">{t('kiosk.dutyBanner', { windows: snapshot.issuing.duty.windows.join('、') })}</p>}
            <div class="service-grid">
              {/* The earlier visit's service first: the returning citizen usually continues the same matter. */}
              {(snapshot?.services ?? []).filter((s) => s.active).sort((a, b) => Number(b.serviceId === follows?.serviceId) - Number(a.serviceId === follows?.serviceId)).map((s) => {
                // The kiosk's rule: a service whose quota is used up takes no number here either.
                const state = issuingState(s);
                return (
                  <button type="button" key={s.serviceId} class={s.serviceId === follows?.serviceId ? 'service last' : 'service'} disabled={busy || missingReason || state !== 'open'} data-testid={`helper-service-${s.code}`} onClick={() => void take(s)}>
                    <b>{s.prefix}</b> {nameOf(s)}
                    {s.serviceId === follows?.serviceId && <em class="last-time">{t('helper.lastService')}</em>}
                    <small>{state === 'open' ? t('kiosk.waiting', { n: s.waiting }) : state === 'full' ? t('kiosk.full')
                      : state === 'ended' && snapshot?.issuing.duty && s.nextOpening !== null ? t('kiosk.notOnDuty', { next: `${calendarDay(s.nextOpening, hall.timezone).slice(5)} ${clockTime(s.nextOpening, hall.timezone)}` }) : t('kiosk.notNow')}</small>
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
