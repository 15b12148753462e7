import { useEffect, useMemo, useState } from 'preact/hooks';
import type { StatsReport, StatsRow } from '../protocol/stats.js';
import { api } from '../ui-shared/api.js';
import { calendarDay as day, figure as fmt } from '../ui-shared/time.js';
import { Field, Fields, fieldErrorsOf } from './config/shared.js';
import { errorText } from '../ui-shared/errors.js';
import { type Key, t, useLang } from '../ui-shared/i18n/index.js';
import { Chart } from './chart.js';
import { Staffing } from './staffing.js';

/** The minutes unit after a figure (" 分钟" / " min"). */
const min = () => ` ${t('mgr.minUnit')}`;

const TABLES: { key: 'byService' | 'byWindow' | 'byStaff' | 'byHour' | 'byWeekday' | 'byDay' | 'byChannel'; csv: string; label: Key }[] = [
  { key: 'byService', csv: 'service', label: 'mgr.byService' },
  { key: 'byWindow', csv: 'window', label: 'mgr.byWindow' },
  { key: 'byStaff', csv: 'staff', label: 'mgr.byStaff' },
  { key: 'byHour', csv: 'hour', label: 'mgr.byHour' },
  { key: 'byWeekday', csv: 'weekday', label: 'mgr.byWeekday' },
  { key: 'byDay', csv: 'day', label: 'mgr.byDay' },
  { key: 'byChannel', csv: 'channel', label: 'mgr.byChannel' },
];

/** 预约 of the period: per service, with the share of citizens served who had booked. */
function AppointmentsPanel({ data }: { data: StatsReport['appointments'] }) {
  const columns = ['booked', 'cancelled', 'checkedIn', 'late', 'missed'] as const;
  return (
    <section class="panel" data-testid="appointment-stats">
      <h3>{t('mgr.apptStats')} <small>{t('mgr.apptShare', { n: fmt(data.servedShare, '%') })}</small></h3>
      <table>
        <thead><tr><th />{columns.map((c) => <th key={c}>{t(`mgr.apptCol.${c}` as Key)}</th>)}</tr></thead>
        <tbody>
          {[...data.byService, data.totals].map((r) => (
            <tr key={String(r.key)}><td>{r.label}</td>{columns.map((c) => <td key={c} class="num">{r[c]}</td>)}</tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** 绿色通道 of the period: who granted each priority (a helper, a manager, or the citizen at the kiosk). */
function PriorityPanel({ grants }: { grants: StatsReport['priorityGrants'] }) {
  return (
    <section class="panel" data-testid="priority-stats">
      <h3>{t('mgr.priorityStats')}</h3>
      {grants.length === 0 ? <p class="muted">{t('mgr.priorityNone')}</p> : (
        <table>
          <thead><tr><th>{t('mgr.priorityBy')}</th><th>{t('mgr.priorityChannel')}</th><th>{t('mgr.priorityCount')}</th></tr></thead>
          <tbody>
            {grants.map((g) => (
              <tr key={`${g.grantedBy}-${g.channel}`}><td>{g.label}</td><td>{t(`channel.${g.channel}`)}</td><td class="num">{g.issued}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** 暂停 of the period: per window and reason, how often and for how many minutes. */
function PausePanel({ pauses }: { pauses: StatsReport['pauses'] }) {
  return (
    <section class="panel" data-testid="pause-stats">
      <h3>{t('mgr.pauseStats')}</h3>
      {pauses.length === 0 ? <p class="muted">{t('mgr.pauseNone')}</p> : (
        <table>
          <thead><tr><th>{t('mgr.window')}</th><th>{t('mgr.pauseReason')}</th><th>{t('mgr.pauseCount')}</th><th>{t('mgr.pauseMinutes')}</th></tr></thead>
          <tbody>
            {pauses.map((p) => (
              <tr key={`${p.windowId}-${p.reason}`}><td>{p.label}</td><td>{t(`pause.${p.reason}` as Key)}</td><td class="num">{p.count}</td><td class="num">{p.minutes}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** What each clerk served, per service (a quarter at most: longer ranges leave it out). */
function StaffServicePanel({ rows }: { rows: StatsReport['byStaffService'] }) {
  return (
    <section class="panel" data-testid="staff-service">
      <h3>{t('mgr.staffService')}</h3>
      {rows === null ? <p class="muted">{t('mgr.staffServiceLong')}</p> : rows.length === 0 ? <p class="muted">{t('mgr.none')}</p> : (
        <table>
          <thead><tr><th>{t('mgr.clerk')}</th><th>{t('mgr.service')}</th><th>{t('mgr.served')}</th></tr></thead>
          <tbody>{rows.map((r) => <tr key={`${r.staffId}-${r.serviceId}`}><td>{r.label}</td><td>{r.serviceLabel}</td><td class="num">{r.served}</td></tr>)}</tbody>
        </table>
      )}
    </section>
  );
}

/** 补正告知 per service: the materials most often missing (those not on the service's list marked, to add to it). */
function MissingMaterialsPanel({ rows }: { rows: StatsReport['missingMaterials'] }) {
  return (
    <section class="panel" data-testid="missing-materials">
      <h3>{t('mgr.missingMaterials')}</h3>
      {rows === null ? <p class="muted">{t('mgr.staffServiceLong')}</p> : rows.length === 0 ? <p class="muted">{t('mgr.none')}</p> : (
        <table>
          <thead><tr><th>{t('mgr.service')}</th><th>{t('mgr.supplements')}</th><th>{t('mgr.missingMaterial')}</th><th>{t('mgr.times')}</th></tr></thead>
          <tbody>
            {rows.flatMap((r) => r.materials.slice(0, 5).map((m, i) => (
              <tr key={`${r.serviceId}-${m.material}`}>
                <td>{i === 0 ? r.serviceLabel : ''}</td>
                <td class="num">{i === 0 ? r.supplements : ''}</td>
                <td>{m.material}{!m.inGuide && <em class="muted"> {t('mgr.notInGuide')}</em>}</td>
                <td class="num">{m.count}</td>
              </tr>
            )))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Complaints from the other channels: per channel, how many came and how far their cases got. */
function ComplaintPanel({ rows }: { rows: StatsReport['complaints'] }) {
  return (
    <section class="panel" data-testid="complaint-stats">
      <h3>{t('mgr.complaintStats')}</h3>
      {rows.length === 0 ? <p class="muted">{t('mgr.complaintNone')}</p> : (
        <table>
          <thead><tr>
            <th>{t('mgr.complaintSource')}</th><th>{t('mgr.complaintReceivedN')}</th><th>{t('mgr.complaintRepliedN')}</th><th>{t('mgr.complaintRectifiedN')}</th>
            <th>{t('mgr.complaintClosedN')}</th><th>{t('mgr.complaintOverdueN')}</th><th>{t('ind.badReplyRate')}</th><th>{t('ind.rectifyRate')}</th><th>{t('ind.rectifySatisfactionRate')}</th>
          </tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.source} data-testid={`complaints-${r.source}`}>
                <td>{t(`mgr.caseSource.${r.source}` as Key)}</td><td class="num">{r.received}</td><td class="num">{r.replied}</td><td class="num">{r.rectified}</td>
                <td class="num">{r.closed}</td><td class="num">{r.overdue}</td><td class="num">{fmt(r.replyRate, '%')}</td><td class="num">{fmt(r.rectifyRate, '%')}</td><td class="num">{fmt(r.satisfactionRate, '%')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Table({ rows }: { rows: StatsRow[] }) {
  return (
    <table>
      <thead>
        <tr>
          <th />{(['mgr.issued', 'mgr.served', 'mgr.noShow', 'mgr.transferred', 'mgr.waitAvg', 'mgr.waitMedian', 'mgr.waitP90', 'mgr.handlingAvg', 'mgr.handlingP90', 'mgr.slaPercent', 'mgr.rated', 'mgr.goodRate', 'mgr.supplement', 'mgr.rejected', 'mgr.firstTimeRate'] as Key[]).map((k) => <th key={k}>{t(k)}</th>)}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <td>{r.label}</td>
            <td class="num">{r.issued}</td><td class="num">{r.served}</td><td class="num">{r.noShow}</td><td class="num">{r.transferred}</td>
            <td class="num">{fmt(r.waitAvg)}</td><td class="num">{fmt(r.waitMedian)}</td><td class="num">{fmt(r.waitP90)}</td>
            <td class="num">{fmt(r.handlingAvg)}</td><td class="num">{fmt(r.handlingP90)}</td>
            <td class="num">{fmt(r.slaPercent, '%')}</td><td class="num">{r.rated}</td><td class="num">{fmt(r.goodRate, '%')}</td>
            <td class="num">{r.supplement}</td><td class="num">{r.rejected}</td><td class="num">{fmt(r.firstTimeRate, '%')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function History({ hallId, timeZone }: { hallId: number; timeZone: string }) {
  useLang();
  const [from, setFrom] = useState(() => day(Date.now() - 29 * 86_400_000, timeZone));
  const [to, setTo] = useState(() => day(Date.now(), timeZone));
  const [range, setRange] = useState({ from, to });
  const [report, setReport] = useState<StatsReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [table, setTable] = useState<(typeof TABLES)[number]>(TABLES[0]!);

  useEffect(() => {
    setError(null);
    setFields({});
    api('GET /halls/:hallId/stats', { hallId, from: range.from, to: range.to }).then(setReport).catch((err: unknown) => {
      // The figures of the previous range are not left under dates they do not belong to.
      setReport(null);
      setError(errorText(err));
      setFields(fieldErrorsOf(err));
    });
  }, [hallId, range]);

  const daily = useMemo(() => report && ({
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: [t('mgr.served'), t('mgr.waitAvg')] },
    grid: { left: 50, right: 50, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: report.byDay.map((d) => d.label.slice(5)) },
    yAxis: [{ type: 'value' }, { type: 'value', splitLine: { show: false } }],
    series: [
      { name: t('mgr.served'), type: 'bar', data: report.byDay.map((d) => d.served), itemStyle: { color: '#0b57a4' } },
      { name: t('mgr.waitAvg'), type: 'line', yAxisIndex: 1, smooth: true, data: report.byDay.map((d) => d.waitAvg), itemStyle: { color: '#c8161d' } },
    ],
  }), [report]);
  const hourly = useMemo(() => report && ({
    tooltip: { trigger: 'axis' },
    grid: { left: 50, right: 20, top: 20, bottom: 30 },
    xAxis: { type: 'category', data: report.byHour.map((h) => h.label) },
    yAxis: { type: 'value' },
    series: [{ name: t('mgr.issued'), type: 'bar', data: report.byHour.map((h) => h.issued), itemStyle: { color: '#1f8a4c' } }],
  }), [report]);

  return (
    <div class="history">
      <form class="range" onSubmit={(e) => {
        e.preventDefault();
        setRange({ from, to });
      }}>
        <Fields errors={fields}>
          <Field label={t('mgr.from')}><input name="from" type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} data-testid="from" /></Field>
          <Field label={t('mgr.to')}><input name="to" type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} data-testid="to" /></Field>
        </Fields>
        <button type="submit" class="primary">{t('mgr.apply')}</button>
      </form>
      {error && <div class="error-banner" role="alert">{error}</div>}
      {report && (
        <>
          <div class="cards">
            <div class="stat"><small>{t('mgr.issued')}</small><b data-testid="h-issued">{report.totals.issued}</b></div>
            <div class="stat"><small>{t('mgr.served')}</small><b>{report.totals.served}</b></div>
            <div class="stat"><small>{t('mgr.waitAvg')}</small><b>{fmt(report.totals.waitAvg, min())}</b><em>{t('mgr.waitMedian')} {fmt(report.totals.waitMedian, min())} · P90 {fmt(report.totals.waitP90, min())}</em></div>
            <div class="stat"><small>{t('mgr.handlingAvg')}</small><b>{fmt(report.totals.handlingAvg, min())}</b><em>P90 {fmt(report.totals.handlingP90, min())}</em></div>
            <div class="stat"><small>{t('mgr.slaPercent')}</small><b>{fmt(report.totals.slaPercent, '%')}</b><em>{t('mgr.sla', { n: report.slaTargetMinutes })}</em></div>
            <div class="stat"><small>{t('mgr.noShowRate')}</small><b>{fmt(report.totals.noShowRate, '%')}</b></div>
            <div class="stat"><small>{t('mgr.firstTimeRate')}</small><b data-testid="h-first-time">{fmt(report.totals.firstTimeRate, '%')}</b><em>{t('mgr.supplement')} {report.totals.supplement} · {t('mgr.rejected')} {report.totals.rejected}</em></div>
          </div>
          <div class="split">
            <section class="panel"><h3>{t('mgr.dailyChart')}</h3>{daily && <Chart option={daily} testId="chart-daily" />}</section>
            <section class="panel"><h3>{t('mgr.hourChart')}</h3>{hourly && <Chart option={hourly} />}</section>
          </div>
          <section class="panel">
            <h3>{t('mgr.indicators')}</h3>
            <div class="indicators">
              {(Object.keys(report.indicators) as (keyof StatsReport['indicators'])[]).map((k) => (
                <div key={k} class="ind"><small>{t(`ind.${k}` as Key)}</small><b data-testid={`ind-${k}`}>{fmt(report.indicators[k], '%')}</b></div>
              ))}
              <div class="ind"><small>{t('mgr.casesOpened')}</small><b>{report.cases.opened}</b><em>{t('mgr.casesClosed')} {report.cases.closed} · {t('mgr.casesOverdue')} {report.cases.overdue}</em></div>
            </div>
          </section>
          <Staffing hallId={hallId} timeZone={timeZone} />
          <ComplaintPanel rows={report.complaints} />
          <StaffServicePanel rows={report.byStaffService} />
          <MissingMaterialsPanel rows={report.missingMaterials} />
          <AppointmentsPanel data={report.appointments} />
          <PriorityPanel grants={report.priorityGrants} />
          <PausePanel pauses={report.pauses} />
          <section class="panel">
            <div class="tabs small">
              {TABLES.map((x) => <button type="button" key={x.key} class={x === table ? 'on' : ''} onClick={() => setTable(x)}>{t(x.label)}</button>)}
              <a class="csv" href={`/api/v1/halls/${hallId}/stats.csv?from=${range.from}&to=${range.to}&table=${table.csv}`} data-testid="csv">{t('mgr.csv')}</a>
            </div>
            <Table rows={report[table.key]} />
          </section>
        </>
      )}
    </div>
  );
}
