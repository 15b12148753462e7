import { useEffect, useState } from 'preact/hooks';
import type { FeedRecordView } from '../protocol/feed.js';
import { api } from '../ui-shared/api.js';
import { errorText } from '../ui-shared/errors.js';
import { type Key, t } from '../ui-shared/i18n/index.js';
import { clockTime, calendarDay } from '../ui-shared/time.js';

/** What a record is about, in a few words: the level of a rating, the step of a case, the decision of an appeal. */
function summary(r: FeedRecordView): string {
  const { rating, caseStep, appeal } = r.record;
  if (rating) return `${rating.ticket.displayNumber} · ${rating.levelName}${rating.window ? ` · ${rating.window.number}号窗口` : ''}`;
  if (caseStep) return t('mgr.feed.caseStep', { id: caseStep.caseId, state: t(`mgr.case.${caseStep.state}` as Key) });
  if (appeal) return t(`mgr.feed.appeal.${appeal.decision}`, { id: appeal.evaluationId });
  return r.recordId;
}

/** 省级好差评平台推送: each record with its delivery state; the failed ones can be sent again. */
export function FeedPanel({ hallId, timeZone }: { hallId: number; timeZone: string }) {
  const [rows, setRows] = useState<FeedRecordView[] | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const load = () => api('GET /halls/:hallId/evaluation-feed', { hallId, limit: 50 }).then(setRows, (err: unknown) => setMessage({ ok: false, text: errorText(err) }));
  useEffect(() => void load(), [hallId]);
  const retry = async () => {
    setMessage(null);
    try {
      const { retried } = await api('POST /halls/:hallId/evaluation-feed/retry', { hallId });
      setMessage({ ok: true, text: t('mgr.feed.retried', { n: retried }) });
      await load();
    } catch (err) {
      setMessage({ ok: false, text: errorText(err) });
    }
  };
  const failed = rows?.some((r) => r.status === 'failed') ?? false;
  return (
    <section class="panel feed-panel" aria-labelledby="feed-title" data-testid="feed-panel">
      <h3 id="feed-title">{t('mgr.feed.title')}</h3>
      {rows?.some((r) => r.status === 'kept') && <p class="muted">{t('mgr.feed.notConfigured')}</p>}
      {message && <p class={message.ok ? 'notice' : 'error-banner'} role={message.ok ? 'status' : 'alert'}>{message.text}</p>}
      {failed && <button type="button" class="primary" onClick={() => void retry()}>{t('mgr.feed.retry')}</button>}
      {rows && rows.length === 0 && <p class="muted">{t('mgr.feed.none')}</p>}
      {rows && rows.length > 0 && (
        <table>
          <thead><tr><th scope="col">{t('mgr.feed.time')}</th><th scope="col">{t('mgr.feed.record')}</th><th scope="col">{t('mgr.feed.status')}</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{calendarDay(r.record.at, timeZone).slice(5)} {clockTime(r.record.at, timeZone)}</td>
                <td>{summary(r)}</td>
                <td class={`feed-${r.status}`}>{t(`mgr.feed.state.${r.status}`)}{r.lastError ? `（${r.lastError}）` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
