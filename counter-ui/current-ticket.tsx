import { useEffect, useState } from 'preact/hooks';
import type { TicketDetail, TicketView } from '../protocol/tickets.js';
import { api } from '../ui-shared/api.js';
import { errorText } from '../ui-shared/errors.js';
import { type Key, lang, t } from '../ui-shared/i18n/index.js';

/**
 * The citizen at the window: number, state, service, channel, wait; what the helper noted and the
 * 绿色通道 reason; the earlier visit it follows (with its 补正 list); the ticket's history.
 */
export function CurrentTicket({ hallId, timeZone, current, serviceName, windowNumber, onError }: {
  hallId: number;
  timeZone: string;
  current: TicketView;
  serviceName: (id: number) => string;
  windowNumber: (id: number | null) => string;
  onError: (message: string) => void;
}) {
  const [detail, setDetail] = useState<TicketDetail | null>(null);
  useEffect(() => {
    api('GET /halls/:hallId/tickets/:ticketId', { hallId, ticketId: current.id }).then(setDetail).catch((err: unknown) => onError(errorText(err)));
  }, [current.id, current.status, current.recallCount]);
  const shown = detail && detail.ticket.id === current.id ? detail : null;

  return (
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
      {shown && (shown.note || shown.priorityReason) && (
        <div class="helper-note" data-testid="helper-note">
          {shown.priorityReason && <b>{t('counter.greenReason', { reason: shown.priorityReason })}</b>}
          {shown.note && <span>{t('counter.note', { note: shown.note })}</span>}
        </div>
      )}
      {shown?.follows && (
        <div class="follows" data-testid="follows">
          <b>{t('counter.follows', { number: shown.follows.displayNumber, day: shown.follows.businessDay })}</b>
          {shown.follows.outcome && shown.follows.outcome.materials.length > 0 && (
            <span>{t('counter.followsMissing', { materials: shown.follows.outcome.materials.join('、') })}</span>
          )}
        </div>
      )}
      {shown && (
        <div class="history">
          <h3>{t('counter.history')}</h3>
          <ol>
            {shown.transitions.map((x, i) => (
              <li key={i}>
                <time>{new Date(x.at).toLocaleTimeString(lang() === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false, timeZone })}</time>
                <span>{t(`action.${x.action}` as Key)}</span>
                {x.windowId !== null && <span class="muted">{t('counter.window', { n: windowNumber(x.windowId) })}</span>}
                {x.reason && <span class="muted">{x.reason}</span>}
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}
