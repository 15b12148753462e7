import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { SessionView } from '../protocol/auth.js';
import type { HallView } from '../protocol/halls.js';
import type { QueueSnapshot } from '../protocol/queue.js';
import type { TicketDetail, TicketView } from '../protocol/tickets.js';
import { serves } from '../protocol/serving.js';
import { canApply, type TicketAction } from '../protocol/transitions.js';
import type { WindowView } from '../protocol/windows.js';
import { ApiError, api } from '../ui-shared/api.js';
import { Clock, Emblem, LangSwitch } from '../ui-shared/components.js';
import { errorText } from '../ui-shared/errors.js';
import { ChangePassword, signOut } from '../ui-shared/account.js';
import { Dialog } from '../ui-shared/dialog.js';
import { debounce, useFeed } from '../ui-shared/feed.js';
import { type Key, lang, nameOf, t, useLang } from '../ui-shared/i18n/index.js';
import { OutcomeDialog, SupplementSheet } from './outcome-dialog.js';
import { RatingsDialog } from './ratings-dialog.js';
import { ReasonDialog } from './reason-dialog.js';
import { TransferDialog } from './transfer-dialog.js';

type ActionName = 'call-next' | 'recall' | 'start' | 'finish' | 'no-show' | 'hold' | 'pause' | 'resume';

/** The clerk's desk at their window: the current citizen, the actions (F1–F8), the queue and held citizens. */
export function Counter({ session, hall, onSignedOut }: { session: SessionView; hall: HallView; onSignedOut: () => void }) {
  const hallId = hall.id;
  useLang();
  const windowId = session.windowId!;
  const [snapshot, setSnapshot] = useState<QueueSnapshot | null>(null);
  const [win, setWin] = useState<WindowView | null>(null);
  const [detail, setDetail] = useState<TicketDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [transferring, setTransferring] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [account, setAccount] = useState(false);
  const [ratings, setRatings] = useState(false);
  const [waiting, setWaiting] = useState<TicketView[]>([]);
  const [noShows, setNoShows] = useState<TicketView[]>([]);
  const [picking, setPicking] = useState<TicketView | null>(null);
  const [deciding, setDeciding] = useState(false);
  /** The 一次性告知单 being printed: rendered for print media only. */
  const [sheet, setSheet] = useState<{ number: string; service: string; materials: string[]; day: string } | null>(null);
  const lock = useRef(false);

  const mine = snapshot?.windows.find((w) => w.windowId === windowId);
  const current = mine?.current ?? null;

  const load = useCallback(async () => {
    const [snap, w, open, missed] = await Promise.all([
      api('GET /halls/:hallId/queue', { hallId }),
      api('GET /halls/:hallId/windows/:windowId', { hallId, windowId }),
      api('GET /halls/:hallId/tickets', { hallId, status: 'waiting', limit: 200 }),
      api('GET /halls/:hallId/tickets', { hallId, status: 'no_show', windowId: String(windowId), limit: 50 }),
    ]);
    setSnapshot(snap);
    setWin(w);
    // 选叫 picks from those waiting for what this window serves, oldest first; 重排 from today's no-shows here.
    setWaiting(open.filter((x) => x.businessDay === snap.businessDay && (x.targetWindowId === null ? serves(w, x.serviceId) : x.targetWindowId === w.id)).reverse());
    setNoShows(missed.filter((x) => x.businessDay === snap.businessDay));
    return { lastSeq: snap.lastSeq };
  }, [hallId, windowId]);
  // A refresh that fails says so on the screen (the next event or action tries again).
  const reload = useMemo(() => debounce(() => void load().catch((err: unknown) => setError(errorText(err))), 150), [load]);
  const status = useFeed({ auth: {}, load, onEvent: reload });

  useEffect(() => {
    if (!current) {
      setDetail(null);
      return;
    }
    api('GET /halls/:hallId/tickets/:ticketId', { hallId, ticketId: current.id }).then(setDetail).catch((err: unknown) => setError(errorText(err)));
  }, [current?.id, current?.status, current?.recallCount]);

  /** One action at a time: a double click or a held key never sends the same call twice. */
  async function act<T>(send: () => Promise<T>, then?: (result: T) => void) {
    if (lock.current) return;
    lock.current = true;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      // Not `then?.(await send())`: an optional call skips its arguments when `then` is absent.
      const result = await send();
      then?.(result);
      await load();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'UNAUTHENTICATED') onSignedOut();
      setError(errorText(err));
      // The screen is reloaded after a refusal; if that fails too, the first error stays shown.
      await load().catch((again: unknown) => setError(`${errorText(err)} ${errorText(again)}`));
    } finally {
      lock.current = false;
      setBusy(false);
    }
  }

  const at = { hallId, windowId };
  const guard = current ? { ticketId: current.id } : {};
  const windowAction = (a: ActionName) => {
    switch (a) {
      case 'call-next': case 'pause': case 'resume': return api(`POST /halls/:hallId/windows/:windowId/${a}`, at);
      default: return api(`POST /halls/:hallId/windows/:windowId/${a}`, at, guard);
    }
  };
  const paused = mine?.state === 'paused';
  /**
   * Why an action is not possible now, in words, or null when it is: ticket actions follow the
   * transition table, the window's own state decides the rest. Buttons and shortcuts both read it.
   */
  const label = (a: ActionName | 'transfer') => t(buttons.find((b) => b.action === a)!.label);
  const refusal = (a: ActionName | 'transfer'): string | null => {
    if (a === 'resume') return paused ? null : t('counter.why.notPaused');
    if (paused) return t('error.WINDOW_PAUSED');
    if (a === 'call-next' || a === 'pause') return current ? t('error.WINDOW_BUSY') : null;
    if (!current) return t('error.NO_CURRENT_TICKET');
    const action: TicketAction = a === 'no-show' ? 'no_show' : a;
    if (canApply(action, current.status)) return null;
    return t('counter.why.notNow', { action: label(a), status: t(`status.${current.status}` as Key) })
      + (a === 'transfer' && current.status === 'called' ? ` ${t('counter.why.startFirst')}` : '');
  };
  const buttons: { key: string; action: ActionName | 'transfer'; label: Key; primary?: boolean }[] = [
    { key: 'F1', action: 'call-next', label: 'counter.call', primary: true },
    { key: 'F2', action: 'recall', label: 'counter.recall' },
    { key: 'F3', action: 'start', label: 'counter.start' },
    { key: 'F4', action: 'finish', label: 'counter.finish' },
    { key: 'F5', action: 'no-show', label: 'counter.noShow' },
    { key: 'F6', action: 'transfer', label: 'counter.transfer' },
    { key: 'F7', action: 'hold', label: 'counter.hold' },
    { key: 'F8', action: paused ? 'resume' : 'pause', label: paused ? 'counter.resume' : 'counter.pause' },
  ];
  const enabled = (a: ActionName | 'transfer') => !busy && refusal(a) === null;
  const run = (a: ActionName | 'transfer') => {
    // A key pressed while the previous action is still on its way is not queued (it was meant for
    // the screen as it was): it is dropped, and the clerk is told so.
    const why = busy ? t('counter.why.busy', { action: label(a) }) : refusal(a);
    if (why) {
      setNotice(why);
      return;
    }
    if (a === 'transfer') setTransferring(true);
    else if (a === 'recall') {
      // Past the hall's recall limit the server records a no-show instead: say so, do not just clear.
      const number = current?.displayNumber ?? '';
      void act(() => api('POST /halls/:hallId/windows/:windowId/recall', at, guard), (result) => {
        if (result.ticket.status === 'no_show') setNotice(t('counter.recallLimit', { number }));
      });
    } else void act(() => windowAction(a));
  };

  // Once the desk is shown, keyboard users start on 叫号 (focus left on the page body is lost to them).
  const ready = snapshot !== null && win !== null;
  useEffect(() => {
    if (ready && (document.activeElement === document.body || document.activeElement === null)) {
      document.querySelector<HTMLButtonElement>('[data-testid=act-call-next]')?.focus();
    }
  }, [ready]);

  const runRef = useRef(run);
  runRef.current = run;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const b = buttons.find((x) => x.key === e.key);
      if (!b || transferring || picking || deciding || ratings || account) return;
      e.preventDefault();
      if (!e.repeat) runRef.current(b.action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const servedHere = (serviceId: number) => !win || serves(win, serviceId);
  const services = snapshot?.services ?? [];
  const serviceName = (id: number) => {
    const s = services.find((x) => x.serviceId === id);
    return s ? nameOf(s) : String(id);
  };
  const windowNumber = (id: number | null) => snapshot?.windows.find((w) => w.windowId === id)?.number ?? '';

  return (
    <div class="counter" data-ready={ready ? 'true' : undefined}>
      <header class="bar">
        <Emblem />
        <div class="bar-title">
          <strong>{win ? t('counter.window', { n: win.number }) : ''}</strong>
          <span>{session.staff.displayName}</span>
        </div>
        {status !== 'live' && <span class="conn" data-testid="conn">{t('conn.discreet')}</span>}
        <Clock timeZone={hall.timezone} />
        <LangSwitch />
        <button type="button" class="link" data-testid="my-ratings" onClick={() => setRatings(true)}>{t('counter.myRatings')}</button>
        <button type="button" class="link" data-testid="account" onClick={() => setAccount(true)}>{t('counter.account')}</button>
        <button type="button" class="link" onClick={() => void signOut(onSignedOut, setError)}>{t('counter.logout')}</button>
      </header>
      {account && (
        <Dialog label={t('account.passwordTitle')} onClose={() => setAccount(false)}>
          <ChangePassword onDone={() => setAccount(false)} />
          <button type="button" onClick={() => setAccount(false)}>{t('common.cancel')}</button>
        </Dialog>
      )}
      {ratings && <RatingsDialog hallId={hallId} timeZone={hall.timezone} onClose={() => setRatings(false)} />}
      {picking && (
        <ReasonDialog
          title={t('counter.pickTitle', { number: picking.displayNumber })} submitLabel={t('counter.pickCall')} testId="pick-dialog"
          onCancel={() => setPicking(null)}
          onSubmit={(reason) => {
            const ticketId = picking.id;
            setPicking(null);
            void act(() => api('POST /halls/:hallId/windows/:windowId/call', at, { ticketId, reason }));
          }}
        />
      )}
      {deciding && current && (
        <OutcomeDialog
          number={current.displayNumber}
          onCancel={() => setDeciding(false)}
          onSubmit={(result, print) => {
            const ticket = current;
            setDeciding(false);
            void act(() => api('POST /halls/:hallId/windows/:windowId/finish', at, { ticketId: ticket.id, ...result }), () => {
              if (!print || !result.materials) return;
              setSheet({ number: ticket.displayNumber, service: serviceName(ticket.serviceId), materials: result.materials, day: ticket.businessDay });
              requestAnimationFrame(() => window.print());
            });
          }}
        />
      )}
      {sheet && <SupplementSheet hallName={hall.name} {...sheet} />}
      <main class="desk">
        <section class="current card">
          <h2>{t('counter.current')}</h2>
          {current ? (
            <div class="ticket" data-testid="current">
              <div class="ticket-number">{current.displayNumber}</div>
              <div class="ticket-facts">
                <span class={`badge ${current.status}`}>{t(`status.${current.status}` as Key)}</span>
                <span>{serviceName(current.serviceId)}</span>
                <span>{t(`channel.${current.channel}` as Key)}</span>
                {current.priorityClass !== 'normal' && <span class="badge priority">{t(`class.${current.priorityClass}` as Key)}</span>}
                <span>{t('counter.waited', { n: Math.max(0, Math.floor(((current.calledAt ?? Date.now()) - current.issuedAt) / 60_000)) })}</span>
                {current.recallCount > 0 && <span>{t('counter.recalls', { n: current.recallCount })}</span>}
              </div>
              {detail && detail.ticket.id === current.id && (detail.note || detail.priorityReason) && (
                <div class="helper-note" data-testid="helper-note">
                  {detail.priorityReason && <b>{t('counter.greenReason', { reason: detail.priorityReason })}</b>}
                  {detail.note && <span>{t('counter.note', { note: detail.note })}</span>}
                </div>
              )}
              {detail && detail.ticket.id === current.id && detail.follows && (
                <div class="follows" data-testid="follows">
                  <b>{t('counter.follows', { number: detail.follows.displayNumber, day: detail.follows.businessDay })}</b>
                  {detail.follows.outcome && detail.follows.outcome.materials.length > 0 && (
                    <span>{t('counter.followsMissing', { materials: detail.follows.outcome.materials.join('、') })}</span>
                  )}
                </div>
              )}
              {detail && detail.ticket.id === current.id && (
                <div class="history">
                  <h3>{t('counter.history')}</h3>
                  <ol>
                    {detail.transitions.map((x, i) => (
                      <li key={i}>
                        <time>{new Date(x.at).toLocaleTimeString(lang() === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false, timeZone: hall.timezone })}</time>
                        <span>{t(`action.${x.action}` as Key)}</span>
                        {x.windowId !== null && <span class="muted">{t('counter.window', { n: windowNumber(x.windowId) })}</span>}
                        {x.reason && <span class="muted">{x.reason}</span>}
                      </li>
                    ))}
                  </ol>
                </div>
              )}
            </div>
          ) : (
            <div class="none">{paused ? t('counter.paused') : t('counter.none')}</div>
          )}
          {error && <div class="error-banner" role="alert" data-testid="error">{error}</div>}
          <div class="notice" role="status" data-testid="notice">{notice}</div>
          <div class="actions">
            {buttons.map((b) => (
              <button
                type="button" key={b.key} class={b.primary ? 'act primary' : 'act'} disabled={!enabled(b.action)}
                data-testid={`act-${b.action}`} onClick={() => run(b.action)}
              >
                {t(b.label)} <kbd>{b.key}</kbd>
              </button>
            ))}
          </div>
          <button type="button" class="act outcome" disabled={!enabled('finish')} data-testid="act-outcome" onClick={() => setDeciding(true)}>
            {t('counter.outcomeButton')}
          </button>
          <p class="shortcuts">{t('counter.shortcuts')}</p>
        </section>
        <aside class="side">
          <section class="card">
            <h2>{t('counter.queue')}</h2>
            <ul class="queue">
              {services.filter((s) => s.active && servedHere(s.serviceId)).map((s) => (
                <li key={s.serviceId}><b>{s.prefix}</b> {nameOf(s)} <em data-testid={`q-${s.code}`}>{s.waiting}</em></li>
              ))}
            </ul>
          </section>
          <section class="card">
            <h2>{t('counter.held')}</h2>
            <ul class="held">
              {(mine?.held ?? []).map((h) => (
                <li key={h.id}>
                  <b>{h.displayNumber}</b> {serviceName(h.serviceId)}
                  <button type="button" disabled={busy || !!current || paused} onClick={() => void act(() => api('POST /halls/:hallId/windows/:windowId/call-back', at, { ticketId: h.id }))}>{t('counter.callBack')}</button>
                </li>
              ))}
            </ul>
          </section>
          <section class="card">
            <h2>{t('counter.waitingList')}</h2>
            <ul class="held" data-testid="waiting-list">
              {waiting.slice(0, 30).map((x) => (
                <li key={x.id}>
                  <b>{x.displayNumber}</b> {serviceName(x.serviceId)}
                  <button type="button" disabled={busy || !!current || paused} data-testid={`pick-${x.displayNumber}`} onClick={() => setPicking(x)}>{t('counter.pickCall')}</button>
                </li>
              ))}
            </ul>
          </section>
          {noShows.length > 0 && (
            <section class="card">
              <h2>{t('counter.noShows')}</h2>
              <ul class="held" data-testid="no-shows">
                {noShows.map((x) => (
                  <li key={x.id}>
                    <b>{x.displayNumber}</b> {serviceName(x.serviceId)}
                    <button type="button" disabled={busy} data-testid={`requeue-${x.displayNumber}`} onClick={() => void act(() => api('POST /halls/:hallId/windows/:windowId/requeue', at, { ticketId: x.id }))}>{t('counter.requeue')}</button>
                  </li>
                ))}
              </ul>
            </section>
          )}
          <button type="button" class="link leave" disabled={busy || !!current} onClick={() => void act(() => api('POST /halls/:hallId/windows/:windowId/sign-out', at)).then(onSignedOut)}>{t('counter.leave')}</button>
        </aside>
      </main>
      {transferring && current && snapshot && (
        <TransferDialog
          hallId={hallId} snapshot={snapshot} currentServiceId={current.serviceId} ownWindowId={windowId}
          onCancel={() => setTransferring(false)}
          onSubmit={(body) => {
            setTransferring(false);
            void act(() => api('POST /halls/:hallId/windows/:windowId/transfer', at, { ...body, ticketId: current.id }));
          }}
        />
      )}
    </div>
  );
}

