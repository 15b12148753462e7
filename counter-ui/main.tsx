import { render } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { SessionView } from '../protocol/auth.js';
import type { HallView } from '../protocol/halls.js';
import type { QueueSnapshot } from '../protocol/queue.js';
import type { TicketView } from '../protocol/tickets.js';
import { canApply, type TicketAction } from '../protocol/transitions.js';
import type { WindowView } from '../protocol/windows.js';
import { ApiError, api, useCsrfToken } from '../ui-shared/api.js';
import { Clock, Emblem, LangSwitch } from '../ui-shared/components.js';
import { errorText } from '../ui-shared/errors.js';
import { AccountSetup, ChangePassword, setupNeeded, signOut } from '../ui-shared/account.js';
import { Login } from '../ui-shared/login.js';
import { debounce, useFeed } from '../ui-shared/feed.js';
import { type Key, lang, nameOf, t, useLang } from '../ui-shared/i18n/index.js';
import '../ui-shared/base.css';
import './counter.css';

interface Transition {
  fromStatus: string | null;
  toStatus: string;
  action: string;
  windowId: number | null;
  reason: string | null;
  at: number;
}
interface Detail {
  ticket: TicketView;
  transitions: Transition[];
}

function WindowPicker({ hallId, onPicked }: { hallId: number; onPicked: () => void }) {
  useLang();
  const [windows, setWindows] = useState<WindowView[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api('GET /halls/:hallId/windows', { hallId }).then(setWindows).catch((err: unknown) => setError(errorText(err)));
  }, [hallId]);
  async function pick(w: WindowView) {
    try {
      await api('POST /halls/:hallId/windows/:windowId/sign-in', { hallId, windowId: w.id });
      onPicked();
    } catch (err) {
      setError(errorText(err));
    }
  }
  return (
    <main class="picker">
      <h1>{t('counter.pickWindow')}</h1>
      {error && <div class="error-banner" role="alert">{error}</div>}
      <div class="picker-grid">
        {windows.filter((w) => w.active).map((w) => (
          <button type="button" key={w.id} class="pick" disabled={w.staffId !== null} onClick={() => void pick(w)} data-testid={`window-${w.number}`}>
            <strong>{t('counter.window', { n: w.number })}</strong>
            <small>{w.staffName ? t('counter.windowTaken', { name: w.staffName }) : kindLabel(w)}</small>
          </button>
        ))}
      </div>
    </main>
  );
}

function kindLabel(w: WindowView): string {
  const zh = { comprehensive: '无差别综合窗口', domain: '分领域综合窗口', special: '专窗' };
  const en = { comprehensive: 'Comprehensive', domain: 'Domain window', special: 'Special window' };
  return (lang() === 'zh' ? zh : en)[w.kind];
}

type ActionName = 'call-next' | 'recall' | 'start' | 'finish' | 'no-show' | 'hold' | 'pause' | 'resume';

function Counter({ session, hall, onSignedOut }: { session: SessionView; hall: HallView; onSignedOut: () => void }) {
  const hallId = hall.id;
  useLang();
  const windowId = session.windowId!;
  const [snapshot, setSnapshot] = useState<QueueSnapshot | null>(null);
  const [win, setWin] = useState<WindowView | null>(null);
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [transferring, setTransferring] = useState(false);
  const [account, setAccount] = useState(false);
  const lock = useRef(false);

  const mine = snapshot?.windows.find((w) => w.windowId === windowId);
  const current = mine?.current ?? null;

  const load = useCallback(async () => {
    const [snap, w] = await Promise.all([
      api('GET /halls/:hallId/queue', { hallId }),
      api('GET /halls/:hallId/windows/:windowId', { hallId, windowId }),
    ]);
    setSnapshot(snap);
    setWin(w);
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
  async function act(send: () => Promise<unknown>) {
    if (lock.current) return;
    lock.current = true;
    setBusy(true);
    setError(null);
    try {
      await send();
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
  // Ticket buttons follow the transition table; the window's own state decides the rest.
  const may = (action: TicketAction) => current !== null && current !== undefined && canApply(action, current.status);
  const can: Record<ActionName, boolean> = {
    'call-next': !current && !paused,
    recall: may('recall'),
    start: may('start'),
    finish: may('finish'),
    'no-show': may('no_show'),
    hold: may('hold'),
    pause: !current && !paused,
    resume: paused,
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
  const enabled = (a: ActionName | 'transfer') => !busy && (a === 'transfer' ? may('transfer') : can[a]);
  const run = (a: ActionName | 'transfer') => {
    if (!enabled(a)) return;
    if (a === 'transfer') setTransferring(true);
    else void act(() => windowAction(a));
  };

  const runRef = useRef(run);
  runRef.current = run;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const b = buttons.find((x) => x.key === e.key);
      if (!b || transferring) return;
      e.preventDefault();
      if (!e.repeat) runRef.current(b.action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const serves = (serviceId: number) => !win || win.kind === 'comprehensive' || win.tiers.some((tier) => tier.includes(serviceId));
  const services = snapshot?.services ?? [];
  const serviceName = (id: number) => {
    const s = services.find((x) => x.serviceId === id);
    return s ? nameOf(s) : String(id);
  };
  const windowNumber = (id: number | null) => snapshot?.windows.find((w) => w.windowId === id)?.number ?? '';


  return (
    <div class="counter">
      <header class="bar">
        <Emblem />
        <div class="bar-title">
          <strong>{win ? t('counter.window', { n: win.number }) : ''}</strong>
          <span>{session.staff.displayName}</span>
        </div>
        {status !== 'live' && <span class="conn" data-testid="conn">{t('conn.discreet')}</span>}
        <Clock timeZone={hall.timezone} />
        <LangSwitch />
        <button type="button" class="link" data-testid="account" onClick={() => setAccount(true)}>{t('counter.account')}</button>
        <button type="button" class="link" onClick={() => void signOut(onSignedOut, setError)}>{t('counter.logout')}</button>
      </header>
      {account && (
        <div class="overlay" role="dialog" aria-modal="true" aria-label={t('account.passwordTitle')}>
          <div class="dialog">
            <ChangePassword onDone={() => setAccount(false)} />
            <button type="button" onClick={() => setAccount(false)}>{t('common.cancel')}</button>
          </div>
        </div>
      )}
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
          <p class="shortcuts">{t('counter.shortcuts')}</p>
        </section>
        <aside class="side">
          <section class="card">
            <h2>{t('counter.queue')}</h2>
            <ul class="queue">
              {services.filter((s) => s.active && serves(s.serviceId)).map((s) => (
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
          <button type="button" class="link leave" disabled={busy || !!current} onClick={() => void act(() => api('POST /halls/:hallId/windows/:windowId/sign-out', at)).then(onSignedOut)}>{t('counter.leave')}</button>
        </aside>
      </main>
      {transferring && current && snapshot && (
        <TransferDialog
          snapshot={snapshot} currentServiceId={current.serviceId} ownWindowId={windowId}
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

function TransferDialog(props: {
  snapshot: QueueSnapshot; currentServiceId: number; ownWindowId: number;
  onCancel: () => void; onSubmit: (body: { serviceId?: number; windowId?: number; reason?: string }) => void;
}) {
  useLang();
  const [serviceId, setServiceId] = useState('');
  const [windowId, setWindowId] = useState('');
  const [reason, setReason] = useState('');
  const ready = serviceId !== '' || windowId !== '';
  return (
    <div class="overlay">
      <form class="dialog" onSubmit={(e) => {
        e.preventDefault();
        if (!ready) return;
        props.onSubmit({
          ...(serviceId ? { serviceId: Number(serviceId) } : {}),
          ...(windowId ? { windowId: Number(windowId) } : {}),
          ...(reason.trim() ? { reason: reason.trim() } : {}),
        });
      }}>
        <h2>{t('counter.transferTo')}</h2>
        <label>{t('counter.toService')}
          <select value={serviceId} onChange={(e) => setServiceId(e.currentTarget.value)} data-testid="transfer-service">
            <option value="">{t('counter.keep')}</option>
            {props.snapshot.services.filter((s) => s.active && s.serviceId !== props.currentServiceId).map((s) => (
              <option key={s.serviceId} value={s.serviceId}>{s.prefix} {nameOf(s)}</option>
            ))}
          </select>
        </label>
        <label>{t('counter.toWindow')}
          <select value={windowId} onChange={(e) => setWindowId(e.currentTarget.value)}>
            <option value="">{t('counter.keep')}</option>
            {props.snapshot.windows.filter((w) => w.windowId !== props.ownWindowId).map((w) => (
              <option key={w.windowId} value={w.windowId}>{t('counter.window', { n: w.number })}</option>
            ))}
          </select>
        </label>
        <label>{t('counter.reason')}<input value={reason} maxLength={200} onInput={(e) => setReason(e.currentTarget.value)} /></label>
        <div class="dialog-actions">
          <button type="button" class="ghost" onClick={props.onCancel}>{t('common.cancel')}</button>
          <button type="submit" class="primary" disabled={!ready}>{t('counter.transfer')}</button>
        </div>
      </form>
    </div>
  );
}

function App() {
  useLang();
  const [session, setSession] = useState<SessionView | null | undefined>(undefined);
  const [hall, setHall] = useState<HallView | null>(null);

  const refresh = useCallback(async () => {
    try {
      const s = await api('GET /auth/me');
      useCsrfToken(s.csrfToken);
      // A password or second factor still owed comes first; nothing else answers until then.
      if (!setupNeeded(s)) {
        const halls = await api('GET /halls');
        setHall(halls.find((h) => h.id === s.staff.hallId) ?? halls[0] ?? null);
      }
      setSession(s);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) setSession(null);
      else setTimeout(() => void refresh(), 2000); // server not reachable yet: keep trying
    }
  }, []);
  useEffect(() => void refresh(), [refresh]);

  if (session === undefined) return null;
  if (session && setupNeeded(session)) return <AccountSetup session={session} title={t('counter.signIn')} onDone={() => void refresh()} />;
  if (session === null || !hall) return <Login title={t('counter.signIn')} onSession={(s) => { useCsrfToken(s.csrfToken); void refresh(); }} />;
  if (session.windowId === null) return <WindowPicker hallId={hall.id} onPicked={() => void refresh()} />;
  return <Counter session={session} hall={hall} onSignedOut={() => void refresh()} />;
}

render(<App />, document.getElementById('app')!);
