import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { EvaluationReport, ReportFigures, ReportIndex } from '../protocol/reports.js';
import { api } from '../ui-shared/api.js';
import { LangSwitch } from '../ui-shared/components.js';
import { errorText } from '../ui-shared/errors.js';
import { type Key, t, useLang } from '../ui-shared/i18n/index.js';
import { figure } from '../ui-shared/time.js';
import '../ui-shared/base.css';
import './report.css';

/** The hall whose report this is: /report/12. */
const hallId = Number(/^\/report\/(\d+)/.exec(location.pathname)?.[1] ?? NaN);

const FIGURES: [keyof ReportFigures, Key, string][] = [
  ['served', 'report.served', ''], ['rated', 'report.rated', ''], ['goodRate', 'report.goodRate', '%'], ['bad', 'report.bad', ''],
  ['badReplyRate', 'report.badReplyRate', '%'], ['rectifyRate', 'report.rectifyRate', '%'], ['rectifySatisfactionRate', 'report.satisfactionRate', '%'],
];

/**
 * 好差评评价报告: a hall's monthly report as it publishes it (定期发布), for anyone, printable and as
 * CSV; the current month provisional. No personal data is in it.
 */
function Report() {
  useLang();
  const [index, setIndex] = useState<ReportIndex | null>(null);
  const [month, setMonth] = useState<string | null>(null);
  const [report, setReport] = useState<EvaluationReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!Number.isInteger(hallId)) return setError(t('report.noHall'));
    api('GET /public/halls/:hallId/evaluation-reports', { hallId }).then((i) => {
      setIndex(i);
      setMonth(i.published[0]?.month ?? i.current);
    }, (err: unknown) => setError(errorText(err)));
  }, []);
  useEffect(() => {
    if (month === null) return;
    setReport(null);
    api('GET /public/halls/:hallId/evaluation-reports/:month', { hallId, month }).then(setReport, (err: unknown) => setError(errorText(err)));
  }, [month]);
  const months = index ? [...new Set([index.current, ...index.published.map((p) => p.month)])].sort().reverse() : [];
  return (
    <main class="report">
      <header>
        <div>
          <h1>{report?.hallName ?? index?.hallName ?? t('report.title')}</h1>
          <p class="subtitle">{t('report.title')}</p>
        </div>
        <LangSwitch />
      </header>
      {error && <div class="error-banner" role="alert">{error}</div>}
      {index && (
        <div class="controls">
          <label>{t('report.month')}
            <select value={month ?? ''} data-testid="report-month" onChange={(e) => setMonth(e.currentTarget.value)}>
              {months.map((m) => <option key={m} value={m}>{m}{m === index.current && !index.published.some((p) => p.month === m) ? ` ${t('report.provisionalTag')}` : ''}</option>)}
            </select>
          </label>
          {report && (
            <>
              <button type="button" onClick={() => window.print()}>{t('report.print')}</button>
              <a class="button" href={`/api/v1/public/halls/${hallId}/evaluation-reports/${report.month}/csv`} download>{t('report.csv')}</a>
            </>
          )}
        </div>
      )}
      {report && (
        <>
          <p class={report.provisional ? 'notice provisional' : 'notice'} data-testid="report-state">
            {report.provisional ? t('report.provisional') : t('report.published', { when: new Date(report.publishedAt!).toLocaleDateString(document.documentElement.lang || 'zh-CN') })}
          </p>
          <section aria-labelledby="totals-title">
            <h2 id="totals-title">{t(report.byHall.length > 0 ? 'report.totals' : 'report.totalsOwn', { month: report.month })}</h2>
            <div class="figures" data-testid="report-totals">
              {FIGURES.map(([k, label, unit]) => (
                <div class="figure" key={k}><small>{t(label)}</small><b>{figure(report.totals[k], unit)}</b></div>
              ))}
            </div>
          </section>
          {report.byHall.length > 0 && (
            <table data-testid="report-halls">
              <caption>{t('report.byHall')}</caption>
              <thead><tr><th scope="col">{t('report.hall')}</th>{FIGURES.map(([k, label]) => <th scope="col" key={k}>{t(label)}</th>)}</tr></thead>
              <tbody>
                {report.byHall.map((h) => (
                  <tr key={h.hallId}><th scope="row">{h.name}</th>{FIGURES.map(([k, , unit]) => <td class="num" key={k}>{figure(h[k], unit)}</td>)}</tr>
                ))}
              </tbody>
            </table>
          )}
          <table data-testid="report-services">
            <caption>{t('report.byService')}</caption>
            <thead><tr><th scope="col">{t('report.service')}</th><th scope="col">{t('report.served')}</th><th scope="col">{t('report.rated')}</th><th scope="col">{t('report.goodRate')}</th></tr></thead>
            <tbody>
              {report.byService.length === 0 && <tr><td colSpan={4}>{t('report.none')}</td></tr>}
              {report.byService.map((s) => (
                <tr key={s.label}><th scope="row">{s.label}</th><td class="num">{s.served}</td><td class="num">{s.rated}</td><td class="num">{figure(s.goodRate, '%')}</td></tr>
              ))}
            </tbody>
          </table>
          <p class="muted">{t('report.about')}</p>
        </>
      )}
    </main>
  );
}

render(<Report />, document.getElementById('app')!);
