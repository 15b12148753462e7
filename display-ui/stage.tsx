import type { CurrentCall } from '../protocol/call-board.js';
import { clockTime } from '../protocol/clock-time.js';
import type { QueueSnapshot } from '../protocol/queue.js';
import { type Key, nameOf, t } from '../ui-shared/i18n/index.js';

/** Up to 12 calls at their windows are shown large; a 13th and later wait in the list. */
export const MAX_LARGE = 12;

/**
 * How the current calls share the stage. One to four: one, two rows, or 2×2. Five or more: the
 * newest across the top (its number at least 10 % of the screen height), the others in a grid
 * of two to four columns below (each number at least 6 %, readable at 10 m on a 55″ screen).
 */
function layoutOf(n: number): { className: string; columns: number } {
  if (n <= 4) return { className: `calls calls-${n}`, columns: n <= 2 ? 1 : 2 };
  const others = n - 1;
  const columns = others <= 4 ? 2 : others <= 6 ? 3 : 4;
  return { className: `calls calls-many rows-${Math.ceil(others / columns)}`, columns };
}

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
  const layout = layoutOf(current.length);
  return (
    <main class={`stage ${current.length > 4 ? 'busy' : ''}`}>
      <section class="now">
        <h2>{t('display.current')}</h2>
        {current.length === 0 ? (
          <div class="idle">{t('display.idle')}</div>
        ) : (
          <div class={layout.className} style={{ gridTemplateColumns: `repeat(${layout.columns}, minmax(0, 1fr))` }}>
            {current.map((c, i) => (
              <div key={c.windowId} class={`call ${i === 0 && current.length > 4 ? 'hero' : ''} ${flashing.has(c.seq) ? 'flash' : ''}`} data-testid="current-call">
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
            {w.state !== 'open' && (
              <small>{w.state !== 'paused' ? t('display.closed') : w.pauseReason ? t('display.pausedFor', { reason: t(`pause.${w.pauseReason}` as Key) }) : t('display.paused')}</small>
            )}
          </span>
        ))}
      </div>
    </section>
  );
}
