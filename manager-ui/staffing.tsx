import { useEffect, useMemo, useState } from 'preact/hooks';
import { dayAhead } from '../protocol/erlang.js';
import type { StaffingAdvice, StaffingHour } from '../protocol/staffing.js';
import { api } from '../ui-shared/api.js';
import { errorText } from '../ui-shared/errors.js';
import { type Key, t, useLang } from '../ui-shared/i18n/index.js';
import { calendarDay, figure } from '../ui-shared/time.js';
import { Chart } from './chart.js';

const POOLS = ['comprehensive', 'domain', 'special'] as const;

/**
 * 排班建议: for a coming day, per hour, the windows each pool needs to hold the wait target (from
 * the same weekday of past weeks), beside those opened; a what-if changes the windows of an hour
 * and shows the 达标率 and wait that would give, computed here with the same model (each hour
 * carrying the queue the one before left, so a change in one hour shows in the hours after).
 */
export function Staffing({ hallId, timeZone }: { hallId: number; timeZone: string }) {
  useLang();
  const tomorrow = calendarDay(Date.now() + 86_400_000, timeZone);
  const [day, setDay] = useState(tomorrow);
  const [pool, setPool] = useState<(typeof POOLS)[number]>('comprehensive');
  const [advice, setAdvice] = useState<StaffingAdvice | null>(null);
  const [plan, setPlan] = useState<Record<string, number>>({});
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setError(null);
    api('GET /halls/:hallId/stats/staffing', { hallId, day }).then((a) => {
      setAdvice(a);
      setPlan({});
    }, (err: unknown) => setError(errorText(err)));
  }, [hallId, day]);
  const rows = (advice?.hours ?? []).filter((h) => h.pool === pool);
  const pools = POOLS.filter((p) => advice?.hours.some((h) => h.pool === p));
  const windowsOf = (h: StaffingHour) => plan[h.hour] ?? h.advised;
  const whatIf = useMemo(
    () => dayAhead(rows.map((h) => ({ perMinute: h.arrivals / 60, handlingMin: h.handlingMinutes })), rows.map(windowsOf), advice?.targetMinutes ?? 0),
    [advice, pool, plan],
  );
  const option = useMemo(() => ({
    tooltip: { trigger: 'axis' },
    legend: { data: [t('mgr.staff.arrivals'), t('mgr.staff.advised'), t('mgr.staff.opened')] },
    xAxis: { type: 'category', data: rows.map((h) => h.hour) },
    yAxis: [{ type: 'value', name: t('mgr.staff.arrivals') }, { type: 'value', name: t('mgr.staff.windows'), minInterval: 1 }],
    series: [
      { name: t('mgr.staff.arrivals'), type: 'bar', data: rows.map((h) => h.arrivals), itemStyle: { color: '#9cb9e0' } },
      { name: t('mgr.staff.advised'), type: 'line', yAxisIndex: 1, step: 'middle', data: rows.map((h) => h.advised), itemStyle: { color: '#0b5cad' }, lineStyle: { width: 3 } },
      { name: t('mgr.staff.opened'), type: 'line', yAxisIndex: 1, step: 'middle', data: rows.map((h) => h.opened), itemStyle: { color: '#c0392b' }, lineStyle: { type: 'dashed' } },
    ],
  }), [advice, pool]);
  return (
    <section class="panel" data-testid="staffing">
      <h3>{t('mgr.staff.title')}</h3>
      <div class="filters">
        <label>{t('mgr.staff.day')}<input type="date" value={day} data-testid="staffing-day" onInput={(e) => e.currentTarget.value && setDay(e.currentTarget.value)} /></label>
        {pools.length > 1 && (
          <label>{t('mgr.staff.pool')}
            <select value={pool} data-testid="staffing-pool" onChange={(e) => setPool(e.currentTarget.value as (typeof POOLS)[number])}>
              {pools.map((p) => <option key={p} value={p}>{t(`kind.${p}` as Key)}</option>)}
            </select>
          </label>
        )}
      </div>
      {error && <div class="error-banner" role="alert">{error}</div>}
      {advice && (
        <>
          <p class="muted" data-testid="staffing-basis">
            {advice.comparableDays.length
              ? t('mgr.staff.basis', { n: advice.comparableDays.length, target: advice.targetMinutes, goal: advice.goalPercent })
              : t('mgr.staff.noHistory')}
          </p>
          {rows.length > 0 && <Chart option={option} testId="chart-staffing" />}
          <table data-testid="staffing-table">
            <thead><tr>
              <th>{t('mgr.staff.hour')}</th><th>{t('mgr.staff.arrivals')}</th><th>{t('mgr.staff.handling')}</th><th>{t('mgr.staff.opened')}</th>
              <th>{t('mgr.staff.advised')}</th><th>{t('mgr.staff.plan')}</th><th>{t('mgr.staff.level')}</th><th>{t('mgr.staff.wait')}</th>
            </tr></thead>
            <tbody>
              {rows.map((h, i) => {
                const c = windowsOf(h);
                const level = whatIf[i]!.level * 100;
                const wait = whatIf[i]!.meanWait;
                return (
                  <tr key={h.hour} data-testid={`staffing-${h.hour}`}>
                    <td>{h.hour}</td><td class="num">{h.arrivals}</td><td class="num">{h.handlingMinutes}</td><td class="num">{h.opened}</td>
                    <td class="num"><b>{h.advised}</b></td>
                    <td><input type="number" min="0" max="100" class="narrow" value={c} aria-label={t('mgr.staff.planOf', { hour: h.hour })}
                      onInput={(e) => setPlan({ ...plan, [h.hour]: Math.max(0, Number(e.currentTarget.value) || 0) })} /></td>
                    <td class={`num ${level < (advice.goalPercent) ? 'bad' : ''}`} data-testid={`staffing-level-${h.hour}`}>{figure(Math.round(level * 10) / 10, '%')}</td>
                    <td class="num">{wait === null ? t('mgr.staff.overload') : t('common.minutes', { n: Math.round(wait * 10) / 10 })}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
