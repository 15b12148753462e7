import { useEffect, useState } from 'preact/hooks';
import type { ReportIndex } from '../protocol/reports.js';
import { api } from '../ui-shared/api.js';
import { errorText } from '../ui-shared/errors.js';
import { t } from '../ui-shared/i18n/index.js';

/** The month before `month` (YYYY-MM). */
const monthBefore = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};

/**
 * 定期发布: the manager publishes last month's 好差评 report (frozen as it is then), and finds the
 * public page that shows it to everyone.
 */
export function ReportPublish({ hallId }: { hallId: number }) {
  const [index, setIndex] = useState<ReportIndex | null>(null);
  const [month, setMonth] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const load = () => api('GET /public/halls/:hallId/evaluation-reports', { hallId }).then((i) => {
    setIndex(i);
    setMonth((m) => m || monthBefore(i.current));
  }, (err: unknown) => setMessage({ ok: false, text: errorText(err) }));
  useEffect(() => void load(), [hallId]);
  const publish = async () => {
    setMessage(null);
    try {
      await api('POST /halls/:hallId/evaluation-reports/:month/publish', { hallId, month });
      setMessage({ ok: true, text: t('mgr.report.done', { month }) });
      await load();
    } catch (err) {
      setMessage({ ok: false, text: errorText(err) });
    }
  };
  return (
    <section class="panel report-publish" aria-labelledby="report-publish-title" data-testid="report-publish">
      <h3 id="report-publish-title">{t('mgr.report.title')}</h3>
      <div class="filters">
        <label>{t('report.month')}<input type="month" name="reportMonth" value={month} max={index ? monthBefore(index.current) : undefined} onInput={(e) => setMonth(e.currentTarget.value)} /></label>
        <button type="button" class="primary" disabled={!month} onClick={() => void publish()}>{t('mgr.report.publish')}</button>
        <a href={`/report/${hallId}`} target="_blank" rel="noopener">{t('mgr.report.open')}</a>
      </div>
      {message && <p class={message.ok ? 'notice' : 'error-banner'} role={message.ok ? 'status' : 'alert'}>{message.text}</p>}
      <p class="muted">{index && index.published.length > 0 ? t('mgr.report.list', { months: index.published.map((p) => p.month).join('、') }) : t('mgr.report.none')}</p>
    </section>
  );
}
