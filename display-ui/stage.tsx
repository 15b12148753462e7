import type { CurrentCall } from '../protocol/call-board.js';
import { clockTime } from '../protocol/clock-time.js';
import type { QueueSnapshot } from '../protocol/queue.js';
import { nameOf, t } from '../ui-shared/i18n/index.js';

/** The calls at their windows, large (newest first), and the list of the others and the latest. */
export function Stage({ current, listed, atWindows, flashing, timeZone }: {
  current: CurrentCall[];
  listed: CurrentCall[];
  /** Tickets still at their windows: marked in the list. */
  atWindows: Set<number>;
  /** Calls (by seq) just made: they flash. */
  flashing: Set<number>;
  timeZone: string;
}) {
  return (
    <main class="stage">
      <section class="now">
        <h2>{t('display.current')}</h2>
        {current.length === 0 ? (
          <div class="idle">{t('display.idle')}</div>
        ) : (
          <div class={`calls calls-${current.length}`}>
            {current.map((c) => (
              <div key={c.windowId} class={`call ${flashing.has(c.seq) ? 'flash' : ''}`} data-testid="current-call">
                <div class="call-number">{c.displayNumber}</div>
                <div class="call-window">{t('display.window', { n: c.windowNumber })}</div>
              </div>
            ))}
          </div>
        )}
      </section>
      <aside class="recent">
        <h2>{t('display.recent')}</h2>
        <ol>
          {listed.map((c) => (
            <li key={`${c.ticketId}:${c.seq}`} class={atWindows.has(c.ticketId) ? 'still-current' : ''}>
              <span class="recent-number">{c.displayNumber}</span>
              <span class="recent-window">{t('display.window', { n: c.windowNumber })}</span>
              <span class="recent-time">{clockTime(c.calledAt, timeZone)}</span>
            </li>
          ))}
        </ol>
      </aside>
    </main>
  );
}

/** Along the bottom: who waits for what, and each window's state. */
export function Strip({ snapshot }: { snapshot: QueueSnapshot | null }) {
  const services = (snapshot?.services ?? []).filter((s) => s.active);
  const windows = snapshot?.windows ?? [];
  return (
    <section class="strip">
      <div class="waiting">
        <span class="strip-title">{t('display.waitingTitle')}</span>
        {services.map((s) => (
          <span key={s.serviceId} class="chip" data-testid={`waiting-${s.code}`}>
            <b>{s.prefix}</b> {nameOf(s)} <em>{s.waiting}</em>
          </span>
        ))}
      </div>
      <div class="windows">
        {windows.map((w) => (
          <span key={w.windowId} class={`win ${w.state}`}>
            {w.number}
            {w.state !== 'open' && <small>{w.state === 'paused' ? t('display.paused') : t('display.closed')}</small>}
          </span>
        ))}
      </div>
    </section>
  );
}
