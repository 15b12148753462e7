import type { Kysely } from 'kysely';
import { staffingNow } from './staffing.js';
import { lockHallLog } from '../db/event-log.js';
import { type AppointmentRow, daysInRange, type LiveStats, MAX_STATS_DAYS, STAFF_SERVICE_DAYS, type StatsReport, type StatsRow } from '../../protocol/stats.js';
import type { Database } from '../db/schema.js';
import { businessDay } from '../domain/business-day.js';
import { type EvaluationCounts, indicators, percent } from '../domain/indicators.js';
import { isOverdue } from '../evaluations/rules.js';
import { queueSnapshot } from '../tickets/queries.js';
import { BadRequestError } from '../errors.js';
import type { Hall } from '../halls/service.js';
import { materialsOf, servicesOfHall } from '../services/service.js';
import { appointmentCounts, casesOfPeriod, complaintCasesOfPeriod, labelsOfHall, pausesOfPeriod, priorityGrants, servedByStaffAndService, supplementsOfPeriod } from './repository.js';
import { complaintSources } from '../../protocol/constants.js';
import { Channel } from '../../protocol/enums.js';
import type { PauseReason } from '../../protocol/windows.js';
import { addInto, aggregateRollups, computeDay, daysWithRollups, emptyRollup, aggregateMonths, keepMonths, loadRollups, quantile, type Rollup, storeDay } from '../rollups/rollup.js';
import { DAY_MS } from '../../protocol/constants.js';

const WEEKDAYS_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

const minutes = (ms: number, n: number) => (n > 0 ? Math.round(ms / n / 6000) / 10 : null);

export function toRow(r: Rollup, key: number | string, label: string): StatsRow {
  return {
    key, label,
    issued: r.issued, served: r.served, noShow: r.no_show, cancelled: r.cancelled, transferred: r.transferred, expired: r.expired,
    waitAvg: minutes(r.wait_sum, r.wait_n),
    waitMedian: quantile(r.waitHist, 0.5),
    waitP90: quantile(r.waitHist, 0.9),
    handlingAvg: minutes(r.handle_sum, r.handle_n),
    handlingP90: quantile(r.handleHist, 0.9),
    slaPercent: percent(r.wait_sla, r.wait_n),
    noShowRate: percent(r.no_show, r.wait_n),
    rated: r.rated,
    goodRate: percent(r.good, r.rated),
    completed: r.outcome_done,
    supplement: r.outcome_supplement,
    rejected: r.outcome_rejected,
    firstTimeRate: percent(r.outcome_done, r.served),
  };
}

function group<T extends { dim: string; key: number }>(rows: T[], dim: string, keyOf: (r: T) => number = (r) => r.key): Map<number, Rollup> {
  const out = new Map<number, Rollup>();
  for (const r of rows) {
    if (r.dim !== dim) continue;
    const k = keyOf(r);
    let acc = out.get(k);
    if (!acc) out.set(k, (acc = emptyRollup(r.dim as Rollup['dim'], k)));
    addInto(acc, r as unknown as Rollup);
  }
  return out;
}

/**
 * History over a date range in the hall's calendar. Closed days come from stored rollups
 * (computed once, when first needed or after day end); today, if in range, is summed live.
 */
const CHANNELS_ZH: Record<string, string> = { kiosk: '取号机', helper: '帮办代取', appointment: '预约', mobile: '手机取号', online: '在线排队' };

/** Bookings counted per service and per day; one still booked after its day counts as missed. */
function appointmentRows(
  counts: { service_id: number; day: string; status: string; late: number | null; n: number }[], today: string, serviceLabel: (id: number) => string,
): { totals: AppointmentRow; byService: AppointmentRow[]; byDay: AppointmentRow[] } {
  const rows = new Map<string, AppointmentRow>();
  const row = (key: number | string, label: string) => {
    const id = `${typeof key}:${key}`;
    let r = rows.get(id);
    if (!r) rows.set(id, (r = { key, label, booked: 0, cancelled: 0, checkedIn: 0, late: 0, missed: 0 }));
    return r;
  };
  for (const c of counts) {
    const n = Number(c.n);
    for (const r of [row('all', '合计'), row(c.service_id, serviceLabel(c.service_id)), row(c.day, c.day)]) {
      r.booked += n;
      if (c.status === 'cancelled') r.cancelled += n;
      if (c.status === 'checked_in') r.checkedIn += n;
      if (c.status === 'checked_in' && c.late === 1) r.late += n;
      if (c.status === 'missed' || (c.status === 'booked' && c.day < today)) r.missed += n;
    }
  }
  const all = [...rows.values()];
  return {
    totals: rows.get('string:all') ?? row('all', '合计'),
    byService: all.filter((r) => typeof r.key === 'number').sort((a, b) => Number(a.key) - Number(b.key)),
    byDay: all.filter((r) => typeof r.key === 'string' && r.key !== 'all').sort((a, b) => String(a.key).localeCompare(String(b.key))),
  };
}

/** Refuses a range that is the wrong way round or too long, before any work. */
export function checkRange(from: string, to: string): void {
  const span = daysInRange(from, to);
  if (span < 1) throw new BadRequestError('INVALID_RANGE', '`from` is after `to`.', { field: 'querystring.from' });
  if (span > MAX_STATS_DAYS) throw new BadRequestError('INVALID_RANGE', `At most ${MAX_STATS_DAYS} days at a time.`, { field: 'querystring.to' });
}

/** Days (YYYY-MM-DD, in order) grouped by their month (YYYY-MM). */
function byMonth(days: readonly string[]): Map<string, string[]> {
  const months = new Map<string, string[]>();
  for (const day of days) {
    const month = day.slice(0, 7);
    months.set(month, [...(months.get(month) ?? []), day]);
  }
  return months;
}

/** Adds a rollup into the sums of its dimension value. */
function addTo(sums: Map<string, Rollup>, r: Rollup): void {
  const id = `${r.dim}:${r.key}`;
  const acc = sums.get(id) ?? emptyRollup(r.dim, r.key);
  addInto(acc, r);
  sums.set(id, acc);
}

function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * A hall's rollups over a range, summed per dimension value ('all:0', 'service:3', …), and the
 * per-day rows of the whole hall. Closed days are rolled up once and kept; today is summed live.
 */
export async function periodRollups(db: Kysely<Database>, hall: Hall, from: string, to: string, now: number): Promise<{ sums: Map<string, Rollup>; dayRows: (Rollup & { day: string })[] }> {
  const hallId = hall.id;
  const days = daysBetween(from, to);
  const today = businessDay(now, hall.timezone);
  const closed = days.filter((d) => d < today);
  const sla = hall.settings.slaTargetWaitMinutes;
  if (closed.length > 0) {
    const have = await daysWithRollups(db, hallId, closed[0]!, closed.at(-1)!);
    for (const day of closed.filter((d) => !have.has(d))) {
      const rollups = await computeDay(db, hallId, day, hall.timezone, sla);
      await db.transaction().execute(async (trx) => {
        // Two managers (or two processes) may roll up the same day at once: on PostgreSQL the
        // second waits for the first and replaces its rows, as SQLite's one writer would.
        await lockHallLog(trx, hallId);
        await storeDay(trx, hallId, day, rollups);
      });
    }
  }
  // Closed days: summed per dimension by the database, whole months from their kept sums;
  // per-day rows only for the 'all' dimension.
  const whole = new Map<string, string[]>();
  const loose: string[][] = [];
  for (const [month, monthDays] of byMonth(closed)) {
    if (monthDays.length === daysInMonth(month)) whole.set(month, monthDays);
    else loose.push(monthDays);
  }
  await keepMonths(db, hallId, whole);
  const sums = await aggregateMonths(db, hallId, [...whole.keys()]);
  for (const monthDays of loose) {
    for (const r of (await aggregateRollups(db, hallId, monthDays[0]!, monthDays.at(-1)!)).values()) addTo(sums, r);
  }
  const dayRows: (Rollup & { day: string })[] = closed.length > 0
    ? (await loadRollups(db, hallId, closed[0]!, closed.at(-1)!, 'all')) : [];
  if (days.includes(today)) {
    for (const r of await computeDay(db, hallId, today, hall.timezone, sla)) {
      addTo(sums, r);
      if (r.dim === 'all') dayRows.push({ ...r, day: today });
    }
  }
  return { sums, dayRows };
}

/**
 * The counts behind the 好差评 indicators of a period (GB/T 39734), per service too: what the
 * published monthly report is made of, summed over the halls of a tree.
 */
export async function evaluationCounts(db: Kysely<Database>, hall: Hall, from: string, to: string, now: number): Promise<{
  counts: EvaluationCounts; byService: { label: string; served: number; rated: number; good: number }[];
}> {
  checkRange(from, to);
  const { sums } = await periodRollups(db, hall, from, to, now);
  const totals = sums.get('all:0') ?? emptyRollup('all', 0);
  const live = (await casesOfPeriod(db, hall.id, from, to)).filter((c) => c.appeal_state !== 'voided');
  const reached = (states: string[]) => live.filter((c) => states.includes(c.state)).length;
  const closedCases = live.filter((c) => c.state === 'closed');
  const { services } = await labelsOfHall(db, hall.id);
  return {
    counts: {
      served: totals.served, rated: totals.rated, good: totals.good, phoneRated: totals.phone_rated, phoneGood: totals.phone_good,
      voided: totals.voided, bad: totals.bad, badReplied: reached(['replied', 'closed']), badRectified: reached(['rectified', 'replied', 'closed']),
      casesClosed: closedCases.length, casesClosedSatisfied: closedCases.filter((c) => c.citizen_satisfied === 1).length,
    },
    byService: services.map((s) => {
      const r = [...sums.values()].find((x) => x.dim === 'service' && x.key === s.id);
      return { label: s.name_zh, served: r?.served ?? 0, rated: r?.rated ?? 0, good: r?.good ?? 0 };
    }),
  };
}

export async function report(db: Kysely<Database>, hall: Hall, from: string, to: string, now: number): Promise<StatsReport> {
  const hallId = hall.id;
  checkRange(from, to);
  const today = businessDay(now, hall.timezone);
  const sla = hall.settings.slaTargetWaitMinutes;
  const { sums, dayRows } = await periodRollups(db, hall, from, to, now);
  const rows = [...sums.values()];

  const { services, windows, staff } = await labelsOfHall(db, hallId);
  const label = <T extends { id: number }>(list: T[], f: (x: T) => string) => (id: number) => {
    const x = list.find((i) => i.id === id);
    return x ? f(x) : `#${id}`;
  };
  const serviceLabel = label(services, (s) => `${s.prefix} ${s.name_zh}`);
  const windowLabel = label(windows, (w) => `${w.number}号窗口`);
  const staffLabel = label(staff, (s) => s.display_name);
  const totals = sums.get('all:0') ?? emptyRollup('all', 0);
  const sorted = (m: Map<number, Rollup>) => [...m.entries()].sort((a, b) => a[0] - b[0]);

  // 差评 follow-up, over ratings of the period that were not voided.
  const cases = await casesOfPeriod(db, hallId, from, to);
  const live = cases.filter((c) => c.appeal_state !== 'voided');
  const reached = (states: string[]) => live.filter((c) => states.includes(c.state)).length;
  const closedCases = live.filter((c) => c.state === 'closed');
  const byChannel = sorted(group(rows, 'channel'));
  const servedByAppointment = byChannel.find(([k]) => Channel.options[k] === 'appointment')?.[1].served ?? 0;

  return {
    hallId, from, to, slaTargetMinutes: sla,
    totals: toRow(totals, 'all', '合计'),
    byService: sorted(group(rows, 'service')).map(([k, r]) => toRow(r, k, serviceLabel(k))),
    byWindow: sorted(group(rows, 'window')).map(([k, r]) => toRow(r, k, windowLabel(k))),
    byStaff: sorted(group(rows, 'staff')).map(([k, r]) => toRow(r, k, staffLabel(k))),
    byHour: sorted(group(rows, 'hour')).map(([k, r]) => toRow(r, k, `${String(k).padStart(2, '0')}:00`)),
    byWeekday: sorted(group(dayRows, 'all', (r) => new Date(`${r.day}T00:00:00Z`).getUTCDay()))
      .map(([k, r]) => toRow(r, k, WEEKDAYS_ZH[k]!)),
    byDay: dayRows.sort((a, b) => a.day.localeCompare(b.day)).map((r) => toRow(r, r.day, r.day)),
    byChannel: byChannel.map(([k, r]) => toRow(r, k, CHANNELS_ZH[Channel.options[k]!] ?? `#${k}`)),
    indicators: indicators({
      served: totals.served, rated: totals.rated, good: totals.good, phoneRated: totals.phone_rated, phoneGood: totals.phone_good,
      voided: totals.voided, bad: totals.bad, badReplied: reached(['replied', 'closed']), badRectified: reached(['rectified', 'replied', 'closed']),
      casesClosed: closedCases.length, casesClosedSatisfied: closedCases.filter((c) => c.citizen_satisfied === 1).length,
    }),
    evaluations: { rated: totals.rated, bad: totals.bad, voided: totals.voided },
    cases: { opened: cases.length, closed: cases.filter((c) => c.state === 'closed').length, overdue: live.filter((c) => isOverdue(c, now)).length },
    complaints: complaintRows(await complaintCasesOfPeriod(db, hallId, from, to), now),
    appointments: {
      ...appointmentRows(await appointmentCounts(db, hallId, from, to), today, serviceLabel),
      servedShare: percent(servedByAppointment, totals.served),
    },
    byStaffService: daysInRange(from, to) > STAFF_SERVICE_DAYS ? null : (await servedByStaffAndService(db, hallId, from, to)).map((r) => ({
      staffId: r.staff_id!, label: staffLabel(r.staff_id!), serviceId: r.service_id, serviceLabel: serviceLabel(r.service_id), served: Number(r.n),
    })).sort((a, b) => a.label.localeCompare(b.label, 'zh-CN') || a.serviceLabel.localeCompare(b.serviceLabel, 'zh-CN')),
    missingMaterials: daysInRange(from, to) > STAFF_SERVICE_DAYS ? null : await missingMaterials(db, hallId, from, to, serviceLabel),
    priorityGrants: (await priorityGrants(db, hallId, from, to)).map((g) => ({
      grantedBy: g.priority_granted_by, label: g.priority_granted_by === null ? '取号机（群众自选）' : staffLabel(g.priority_granted_by),
      channel: g.channel, issued: Number(g.n),
    })).sort((a, b) => b.issued - a.issued),
    pauses: (await pausesOfPeriod(db, hallId, from, to, now)).map((p) => ({
      windowId: p.windowId, label: windowLabel(p.windowId), reason: p.reason as PauseReason, count: p.count, minutes: Math.round(p.ms / 60_000),
    })).sort((a, b) => a.label.localeCompare(b.label, 'zh-CN', { numeric: true }) || b.minutes - a.minutes),
  };
}

/** 补正告知 per service: which materials were missing how often, most often first (those on the service's list marked). */
async function missingMaterials(db: Kysely<Database>, hallId: number, from: string, to: string, serviceLabel: (id: number) => string): Promise<StatsReport['missingMaterials']> {
  const [rows, services] = await Promise.all([supplementsOfPeriod(db, hallId, from, to), servicesOfHall(db, hallId)]);
  const guides = new Map(services.map((s) => [s.id, materialsOf(s)]));
  const perService = new Map<number, { supplements: number; counts: Map<string, number> }>();
  for (const r of rows) {
    const entry = perService.get(r.service_id) ?? { supplements: 0, counts: new Map<string, number>() };
    entry.supplements++;
    for (const m of new Set(JSON.parse(r.missing_materials ?? '[]') as string[])) entry.counts.set(m, (entry.counts.get(m) ?? 0) + 1);
    perService.set(r.service_id, entry);
  }
  return [...perService].map(([serviceId, e]) => {
    const guide = guides.get(serviceId) ?? [];
    // Most often first; at a tie, those on the list in its order, then the others.
    const place = (m: string) => (guide.includes(m) ? guide.indexOf(m) : guide.length);
    return {
      serviceId, serviceLabel: serviceLabel(serviceId), supplements: e.supplements,
      materials: [...e.counts].map(([material, count]) => ({ material, count, inGuide: guide.includes(material) }))
        .sort((a, b) => b.count - a.count || place(a.material) - place(b.material) || a.material.localeCompare(b.material, 'zh-CN')),
    };
  }).sort((a, b) => b.supplements - a.supplements || a.serviceLabel.localeCompare(b.serviceLabel, 'zh-CN'));
}

/** Complaints from the other channels, per channel that had any: how far each got in the loop. */
function complaintRows(cases: Awaited<ReturnType<typeof complaintCasesOfPeriod>>, now: number): StatsReport['complaints'] {
  return complaintSources.map((source) => {
    const of = cases.filter((c) => c.source === source);
    const reached = (states: string[]) => of.filter((c) => states.includes(c.state)).length;
    const closed = of.filter((c) => c.state === 'closed');
    const replied = reached(['replied', 'closed']);
    const rectified = reached(['rectified', 'replied', 'closed']);
    return {
      source, received: of.length, replied, rectified, closed: closed.length, overdue: of.filter((c) => isOverdue(c, now)).length,
      replyRate: percent(replied, of.length), rectifyRate: percent(rectified, of.length),
      satisfactionRate: percent(closed.filter((c) => c.citizen_satisfied === 1).length, closed.length),
    };
  }).filter((r) => r.received > 0);
}

/** The hall right now, for the manager's live view. */
export async function liveStats(db: Kysely<Database>, hall: Hall, now: number): Promise<LiveStats> {
  const hallId = hall.id;
  const snap = await queueSnapshot(db, hallId, now);
  const [today] = (await computeDay(db, hallId, snap.businessDay, hall.timezone, hall.settings.slaTargetWaitMinutes)).filter((r) => r.dim === 'all');
  const longest = snap.services.reduce<number | null>((m, s) => (s.longestWaitMs !== null && (m === null || s.longestWaitMs > m) ? s.longestWaitMs : m), null);
  return {
    hallId,
    businessDay: snap.businessDay,
    issuedToday: today?.issued ?? 0,
    servedToday: today?.served ?? 0,
    waiting: snap.services.reduce((n, s) => n + s.waiting, 0),
    longestWaitMinutes: longest === null ? null : Math.round(longest / 6000) / 10,
    averageWaitTodayMinutes: today ? minutes(today.wait_sum, today.wait_n) : null,
    slaTargetMinutes: hall.settings.slaTargetWaitMinutes,
    windowsOpen: snap.windows.filter((w) => w.state === 'open').length,
    windowsPaused: snap.windows.filter((w) => w.state === 'paused').length,
    // Serving means the citizen is at the desk; a window that has only called is calling.
    windowsServing: snap.windows.filter((w) => w.current?.status === 'serving').length,
    windowsCalling: snap.windows.filter((w) => w.current?.status === 'called').length,
    staffing: await staffingNow(db, hall, snap, now),
  };
}

const CSV_COLUMNS: [keyof StatsRow, string][] = [
  ['label', '项目'], ['issued', '取号'], ['served', '办理完成'], ['noShow', '过号'], ['cancelled', '取消'], ['transferred', '转办'],
  ['expired', '过期'], ['waitAvg', '平均等候(分)'], ['waitMedian', '等候中位数(分)'], ['waitP90', '等候P90(分)'],
  ['handlingAvg', '平均办理(分)'], ['handlingP90', '办理P90(分)'], ['slaPercent', '达标率%'], ['noShowRate', '过号率%'],
  ['rated', '评价数'], ['goodRate', '好评率%'], ['completed', '办结'], ['supplement', '补正告知'], ['rejected', '不予受理'],
  ['firstTimeRate', '一次办结率%'],
];

/**
 * A text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first: a staff name like
 * `=HYPERLINK(…)`) gets a leading apostrophe, so it is shown as text (OWASP CSV injection).
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One table of the report as CSV, with a BOM so spreadsheet programs read the Chinese right. */
export function toCsv(rows: StatsRow[]): string {
  const lines = [CSV_COLUMNS.map(([, h]) => h).join(','), ...rows.map((r) => CSV_COLUMNS.map(([k]) => csvCell(r[k])).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
