import type { QueueSnapshot } from '../protocol/queue.js';
import type { TicketView } from '../protocol/tickets.js';
import { nameOf, t } from '../ui-shared/i18n/index.js';

/** Beside the desk: the queues this window serves, its held citizens, 选叫 and 重排 lists, 离开窗口. */
export function SideLists({ services, held, waiting, noShows, serviceName, servedHere, canCall, busy, onCallBack, onPick, onRequeue, onLeave, canLeave }: {
  services: QueueSnapshot['services'];
  held: TicketView[];
  waiting: TicketView[];
  noShows: TicketView[];
  serviceName: (id: number) => string;
  servedHere: (serviceId: number) => boolean;
  /** Nobody at the window and the window not paused: a held or picked citizen may be called. */
  canCall: boolean;
  busy: boolean;
  canLeave: boolean;
  onCallBack: (ticket: TicketView) => void;
  onPick: (ticket: TicketView) => void;
  onRequeue: (ticket: TicketView) => void;
  onLeave: () => void;
}) {
  return (
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
          {held.map((h) => (
            <li key={h.id}>
              <b>{h.displayNumber}</b> {serviceName(h.serviceId)}
              <button type="button" disabled={busy || !canCall} onClick={() => onCallBack(h)}>{t('counter.callBack')}</button>
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
              <button type="button" disabled={busy || !canCall} data-testid={`pick-${x.displayNumber}`} onClick={() => onPick(x)}>{t('counter.pickCall')}</button>
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
                <button type="button" disabled={busy} data-testid={`requeue-${x.displayNumber}`} onClick={() => onRequeue(x)}>{t('counter.requeue')}</button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <button type="button" class="link leave" disabled={busy || !canLeave} onClick={onLeave}>{t('counter.leave')}</button>
    </aside>
  );
}
