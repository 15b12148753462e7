import { render } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { PublicTicket } from '../protocol/tickets.js';
import { ApiError, api } from '../ui-shared/api.js';
import { ConnectionOverlay, LangSwitch } from '../ui-shared/components.js';
import { errorText } from '../ui-shared/errors.js';
import { useFeed } from '../ui-shared/feed.js';
import { type Key, nameOf, t, useLang } from '../ui-shared/i18n/index.js';
import { type Rating, RatingForm } from '../ui-shared/rating.js';
import { MaterialsList } from '../ui-shared/materials.js';
import { EntrancePage, NotArrived } from './arrival.js';
import { rememberOnline } from '../ui-shared/online-tickets.js';
import '../ui-shared/base.css';
import '../ui-shared/rating.css';
import './phone.css';

// The phone's stream carries only this ticket's events; how many are ahead changes with other
// citizens' tickets too, so the page also refreshes on this period.
const REFRESH_MS = 20_000;
const token = location.pathname.split('/').pop() ?? '';

function Phone() {
  useLang();
  const [ticket, setTicket] = useState<PublicTicket | null>(null);
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const fetchTicket = useCallback(async () => {
    try {
      const next = await api('GET /public/tickets/:token', { token });
      setTicket((prev) => {
        if (prev?.status === 'waiting' && next.status === 'called') navigator.vibrate?.([300, 100, 300]);
        return next;
      });
      setError(null);
    } catch (err) {
      // An unknown or expired token is final; anything else is said and retried on the next tick.
      if (err instanceof ApiError && (err.status === 404 || err.status === 400)) setMissing(true);
      else setError(errorText(err));
    }
  }, []);
  // The first answer does not wait for the live connection (which an unknown token never gets).
  useEffect(() => void fetchTicket(), [fetchTicket]);
  const load = useCallback(async (serverLastSeq: number) => {
    await fetchTicket();
    return { lastSeq: serverLastSeq };
  }, [fetchTicket]);
  const status = useFeed({ auth: missing ? null : { ticketToken: token }, stream: 'ticket', load, onEvent: () => void fetchTicket() });

  useEffect(() => {
    const timer = setInterval(() => void fetchTicket(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [fetchTicket]);

  // A number taken online: kept on this phone, so the hall's entrance QR code can confirm it.
  const notArrived = ticket?.online !== null && ticket?.online !== undefined && !ticket.online.arrived && ticket.status === 'waiting';
  useEffect(() => {
    if (notArrived) rememberOnline(token);
  }, [notArrived]);

  const [rating, setRating] = useState(false);
  async function rate(r: Rating) {
    setRating(true);
    setError(null);
    try {
      setTicket(await api('POST /public/tickets/:token/evaluation', { token }, r));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setRating(false);
    }
  }

  async function cancel() {
    if (!confirm(t('phone.cancelConfirm'))) return;
    try {
      setTicket(await api('POST /public/tickets/:token/cancel', { token }));
    } catch (err) {
      setError(errorText(err));
    }
  }

  if (missing) return <main class="phone"><div class="card center" role="alert" data-testid="not-found">{t('phone.notFound')}</div></main>;
  if (!ticket) return <main class="phone"><div class="card center" role={error ? 'alert' : undefined}>{error ?? t('common.loading')}</div></main>;
  const called = ticket.status === 'called';
  return (
    <main class={`phone ${called ? 'is-called' : ''}`}>
      <header>
        <span>{ticket.hallName}</span>
        <LangSwitch />
      </header>
      {called && (
        <div class="called" role="alert" data-testid="called">
          <div class="called-title">{t('phone.calledTitle')}</div>
          <div class="called-window">{t('phone.goTo', { n: ticket.windowNumber ?? '' })}</div>
        </div>
      )}
      {notArrived && <NotArrived ticket={ticket} token={token} timeZone={ticket.online!.timeZone} onArrived={setTicket} />}
      <section class="card">
        <div class="label">{t('phone.title')}</div>
        <div class="number" data-testid="number">{ticket.displayNumber}</div>
        <div class="service">{nameOf({ nameZh: ticket.serviceNameZh, nameEn: ticket.serviceNameEn })}</div>
        <div class={`status ${ticket.status}`} data-testid="status">
          {ticket.status === 'done' && ticket.outcome && ticket.outcome.outcome !== 'done' ? t(`phone.status.${ticket.outcome.outcome}`) : t(`status.${ticket.status}` as Key)}
        </div>
        {ticket.status === 'serving' && ticket.windowNumber && <div class="serving">{t('phone.serving', { n: ticket.windowNumber })}</div>}
        {(ticket.status === 'no_show' || ticket.status === 'expired' || ticket.status === 'cancelled') && (
          <p class="what-now" data-testid="what-now">{t(`phone.whatNow.${ticket.status}`)}</p>
        )}
        {ticket.outcome && ticket.status === 'done' && (
          <div class={`outcome ${ticket.outcome.outcome}`} data-testid="outcome">
            {ticket.outcome.outcome === 'rejected'
              ? <p>{t('phone.outcome.rejected', { reason: ticket.outcome.reason ?? '' })}</p>
              : <p>{t(`phone.outcome.${ticket.outcome.outcome}`)}</p>}
            {ticket.outcome.materials.length > 0 && (
              <>
                <ol class="materials">{ticket.outcome.materials.map((m) => <li key={m}>{m}</li>)}</ol>
                <button type="button" class="print" onClick={() => window.print()}>{t('phone.print')}</button>
              </>
            )}
          </div>
        )}
        {ticket.estimate && (
          <div class="facts">
            <div><small>{t('phone.ahead')}</small><strong data-testid="ahead">{ticket.estimate.peopleAhead}</strong></div>
            <div><small>{t('phone.estimate')}</small><strong>{ticket.estimate.estimatedWaitMinutes === null ? '—' : t('common.minutes', { n: ticket.estimate.estimatedWaitMinutes })}</strong></div>
          </div>
        )}
        {ticket.online?.arrived && ticket.status === 'waiting' && <p class="arrived-note" data-testid="arrived-note">{t('phone.online.arrived')}</p>}
        {(ticket.status === "waiting" || ticket.status === "called") && <p class="hint">{t("phone.hint")}</p>}
        {(ticket.status === 'waiting' || ticket.status === 'called' || ticket.status === 'on_hold') && <MaterialsList materials={ticket.materials} conditions={ticket.conditions} />}
        {status === 'live' && <p class="live">● {t('phone.live')}</p>}
        {error && <div class="error-banner">{error}</div>}
        {ticket.status === 'waiting' && <button type="button" class="cancel" onClick={() => void cancel()}>{t('phone.cancel')}</button>}
      </section>
      {ticket.canEvaluate && (
        <section class="card rate-card" data-testid="rate">
          <RatingForm onSubmit={(r) => void rate(r)} withText busy={rating} />
        </section>
      )}
      {ticket.evaluation && (
        <section class="card rated" data-testid="rated">
          {t('rate.done', { level: t(`level.${ticket.evaluation.level}` as Key) })}
        </section>
      )}
      <ConnectionOverlay status={status === 'refused' ? 'reconnecting' : status} />
    </main>
  );
}

render(location.pathname.startsWith('/arrive/') ? <EntrancePage /> : <Phone />, document.getElementById('app')!);
