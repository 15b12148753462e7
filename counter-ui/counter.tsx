import { useEffect, useRef, useState } from 'preact/hooks';
import type { SessionView } from '../protocol/auth.js';
import type { HallView } from '../protocol/halls.js';
import type { TicketView } from '../protocol/tickets.js';
import { serves } from '../protocol/serving.js';
import { canApply, type TicketAction } from '../protocol/transitions.js';
import { api } from '../ui-shared/api.js';
import { Clock, Emblem, LangSwitch } from '../ui-shared/components.js';
import { ChangePassword, signOut } from '../ui-shared/account.js';
import { Dialog } from '../ui-shared/dialog.js';
import { type Key, nameOf, t, useLang } from '../ui-shared/i18n/index.js';
import { CurrentTicket } from './current-ticket.js';
import { useDeskData } from './desk-data.js';
import { useOneAction } from './one-action.js';
import { localInZone } from '../ui-shared/time.js';
import { OutcomeDialog, type Sheet, SupplementSheet } from './outcome-dialog.js';
import { PauseDialog } from './pause-dialog.js';
import { RatingsDialog } from './ratings-dialog.js';
import { ReasonDialog } from './reason-dialog.js';
import { SideLists } from './side-lists.js';
import { TransferDialog } from './transfer-dialog.js';

/** The one dialog open over the desk, if any. */
type Open = { kind: 'transfer' } | { kind: 'pick'; ticket: TicketView } | { kind: 'outcome' } | { kind: 'ratings' } | { kind: 'account' } | { kind: 'pause' } | null;

type ActionName = 'call-next' | 'recall' | 'start' | 'finish' | 'no-show' | 'hold' | 'pause' | 'resume';

/** The clerk's desk at their window: the current citizen, the actions (F1–F8), the queue and held citizens. */
export function Counter({ session, hall, onSignedOut }: { session: SessionView; hall: HallView; onSignedOut: () => void }) {
  const hallId = hall.id;
  useLang();
  const windowId = session.windowId!;
  const [open, setOpen] = useState<Open>(null);
  /** The 一次性告知单 being printed: rendered for print media only. */
  const [sheet, setSheet] = useState<Sheet | null>(null);
  const close = () => setOpen(null);
  const reportError = (message: string) => one.setError(message);
  const { snapshot, win, waiting, noShows, load, status } = useDeskData(hallId, windowId, reportError);
  const one = useOneAction(load, onSignedOut);
  const { busy, error, notice, setNotice, act } = one;

  const mine = snapshot?.windows.find((w) => w.windowId === windowId);
  const current = mine?.current ?? null;

  const at = { hallId, windowId };
  const guard = current ? { ticketId: current.id } : {};
  /** The actions sent as they are (a pause asks why first: the pause dialog). */
  const windowAction = (a: Exclude<ActionName, 'pause'>) => {
    switch (a) {
      case 'call-next': case 'resume': return api(`POST /halls/:hallId/windows/:windowId/${a}`, at);
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
    if (a === 'transfer') setOpen({ kind: 'transfer' });
    else if (a === 'pause') setOpen({ kind: 'pause' });
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
      if (!b || open) return;
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
        <button type="button" class="link" data-testid="my-ratings" onClick={() => setOpen({ kind: 'ratings' })}>{t('counter.myRatings')}</button>
        <button type="button" class="link" data-testid="account" onClick={() => setOpen({ kind: 'account' })}>{t('counter.account')}</button>
        <button type="button" class="link" onClick={() => void signOut(onSignedOut, one.setError)}>{t('counter.logout')}</button>
      </header>
      {open?.kind === 'account' && (
        <Dialog label={t('account.passwordTitle')} onClose={close}>
          <ChangePassword onDone={close} />
          <button type="button" onClick={close}>{t('common.cancel')}</button>
        </Dialog>
      )}
      {open?.kind === 'ratings' && <RatingsDialog hallId={hallId} timeZone={hall.timezone} onClose={close} />}
      {open?.kind === 'pause' && <PauseDialog onClose={close} onPause={(reason) => {
        close();
        void act(() => api('POST /halls/:hallId/windows/:windowId/pause', at, { reason }));
      }} />}
      {open?.kind === 'pick' && (
        <ReasonDialog
          title={t('counter.pickTitle', { number: open.ticket.displayNumber })} submitLabel={t('counter.pickCall')} testId="pick-dialog"
          onCancel={close}
          onSubmit={(reason) => {
            const ticketId = open.ticket.id;
            close();
            void act(() => api('POST /halls/:hallId/windows/:windowId/call', at, { ticketId, reason }));
          }}
        />
      )}
      {open?.kind === 'outcome' && current && (
        <OutcomeDialog
          number={current.displayNumber}
          guide={services.find((s) => s.serviceId === current.serviceId)?.materials ?? []}
          onCancel={close}
          onSubmit={(result, print) => {
            const ticket = current;
            close();
            void act(() => api('POST /halls/:hallId/windows/:windowId/finish', at, { ticketId: ticket.id, ...result }), (finished) => {
              if (!print || !result.materials) return;
              setSheet({
                hallName: hall.name, number: ticket.displayNumber, service: serviceName(ticket.serviceId), window: windowNumber(windowId),
                clerk: { name: session.staff.displayName, id: session.staff.id, staffNumber: session.staff.staffNumber }, issuedAt: localInZone(finished.ticket.finishedAt ?? Date.now(), hall.timezone).replace('T', ' '),
                materials: result.materials,
              });
              requestAnimationFrame(() => window.print());
            });
          }}
        />
      )}
      {sheet && <SupplementSheet {...sheet} />}
      <main class="desk">
        <section class="current card">
          <h2>{t('counter.current')}</h2>
          {current ? (
            <CurrentTicket
              hallId={hallId} timeZone={hall.timezone} current={current} serviceName={serviceName} windowNumber={windowNumber} onError={reportError}
            />
          ) : (
            <div class="none" data-testid="none">{paused ? t('counter.pausedFor', { reason: t(`pause.${mine?.pauseReason ?? 'other'}` as Key) }) : t('counter.none')}</div>
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
          <button type="button" class="act outcome" disabled={!enabled('finish')} data-testid="act-outcome" onClick={() => setOpen({ kind: 'outcome' })}>
            {t('counter.outcomeButton')}
          </button>
          <p class="shortcuts">{t('counter.shortcuts')}</p>
        </section>
        <SideLists
          services={services} held={mine?.held ?? []} waiting={waiting} noShows={noShows}
          serviceName={serviceName} servedHere={servedHere} busy={busy} canCall={!current && !paused} canLeave={!current}
          onCallBack={(h) => void act(() => api('POST /halls/:hallId/windows/:windowId/call-back', at, { ticketId: h.id }))}
          onPick={(x) => setOpen({ kind: 'pick', ticket: x })}
          onRequeue={(x) => void act(() => api('POST /halls/:hallId/windows/:windowId/requeue', at, { ticketId: x.id }))}
          onLeave={() => void act(() => api('POST /halls/:hallId/windows/:windowId/sign-out', at)).then(onSignedOut)}
        />
      </main>
      {open?.kind === 'transfer' && current && snapshot && (
        <TransferDialog
          hallId={hallId} snapshot={snapshot} currentServiceId={current.serviceId} ownWindowId={windowId}
          onCancel={close}
          onSubmit={(body) => {
            close();
            void act(() => api('POST /halls/:hallId/windows/:windowId/transfer', at, { ...body, ticketId: current.id }));
          }}
        />
      )}
    </div>
  );
}

