import type { Kysely } from 'kysely';
import type { EvaluationReport, ReportFigures, ReportIndex } from '../../protocol/reports.js';
import { audit, type AuditBy } from '../audit/repository.js';
import type { Database } from '../db/schema.js';
import { write, type WriteDeps } from '../db/write.js';
import { businessDay } from '../domain/business-day.js';
import { type EvaluationCounts, indicators, percent } from '../domain/indicators.js';
import { BadRequestError, ConflictError, NotFoundError } from '../errors.js';
import { type Hall, loadHall, subtree } from '../halls/service.js';
import { csvCell, evaluationCounts } from './service.js';

/**
 * 定期发布 the 好差评 report: a month of a hall and the halls below it, in the headline figures of
 * GB/T 39734, without any personal data. Published, a month is frozen as it was; the current
 * month is shown provisional, computed as it stands.
 */

const monthOf = (now: number, hall: Hall) => businessDay(now, hall.timezone).slice(0, 7);
const lastDay = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);

function figures(c: EvaluationCounts): ReportFigures {
  const i = indicators(c);
  return { served: c.served, rated: c.rated, goodRate: i.goodRate, bad: c.bad, badReplyRate: i.badReplyRate, rectifyRate: i.rectifyRate, rectifySatisfactionRate: i.rectifySatisfactionRate };
}

function add(a: EvaluationCounts, b: EvaluationCounts): EvaluationCounts {
  return Object.fromEntries(Object.keys(a).map((k) => [k, a[k as keyof EvaluationCounts] + b[k as keyof EvaluationCounts]])) as unknown as EvaluationCounts;
}

/** The month as it stands: the hall's figures summed with every hall below it, each of those apart, and the hall's own services. */
async function computeMonth(db: Kysely<Database>, hall: Hall, month: string, now: number): Promise<EvaluationReport> {
  const from = `${month}-01`;
  const to = lastDay(month);
  const halls = await subtree(db, hall.id);
  let total: EvaluationCounts | null = null;
  const byHall: EvaluationReport['byHall'] = [];
  let byService: EvaluationReport['byService'] = [];
  for (const h of halls) {
    const { counts, byService: services } = await evaluationCounts(db, h, from, to, now);
    total = total ? add(total, counts) : counts;
    if (h.id === hall.id) byService = services.filter((s) => s.served > 0 || s.rated > 0).map((s) => ({ label: s.label, served: s.served, rated: s.rated, goodRate: percent(s.good, s.rated) }));
    else byHall.push({ hallId: h.id, name: h.name, level: h.level, ...figures(counts) });
  }
  return {
    hallId: hall.id, hallName: hall.name, level: hall.level, month, provisional: true, publishedAt: null,
    totals: figures(total!), byService, byHall,
  };
}

export async function reportIndex(db: Kysely<Database>, hallId: number, now: number): Promise<ReportIndex> {
  const hall = await loadHall(db, hallId);
  const rows = await db.selectFrom('published_reports').select(['month', 'published_at']).where('hall_id', '=', hallId).orderBy('month', 'desc').execute();
  return { hallId, hallName: hall.name, current: monthOf(now, hall), published: rows.map((r) => ({ month: r.month, publishedAt: r.published_at })) };
}

/** A published month as it was published; the current month provisional; other months are not public. */
export async function monthReport(db: Kysely<Database>, hallId: number, month: string, now: number): Promise<EvaluationReport> {
  const hall = await loadHall(db, hallId);
  const kept = await db.selectFrom('published_reports').select('body').where('hall_id', '=', hallId).where('month', '=', month).executeTakeFirst();
  if (kept) return JSON.parse(kept.body) as EvaluationReport;
  if (month !== monthOf(now, hall)) throw new NotFoundError('REPORT_NOT_PUBLISHED', `The report of ${month} has not been published.`);
  return computeMonth(db, hall, month, now);
}

/** The manager publishes a month that is over: its figures are frozen as they are now. */
export async function publishMonth(deps: WriteDeps, hallId: number, month: string, by: AuditBy): Promise<EvaluationReport> {
  const now = deps.clock.now();
  const hall = await loadHall(deps.db, hallId);
  if (month >= monthOf(now, hall)) throw new BadRequestError('MONTH_NOT_OVER', `${month} is not over yet; publish it once it has ended.`, { field: 'params.month' });
  const report = { ...(await computeMonth(deps.db, hall, month, now)), provisional: false, publishedAt: now };
  return write(deps, async ({ trx }) => {
    const inserted = await trx.insertInto('published_reports').values({ hall_id: hallId, month, body: JSON.stringify(report), published_at: now, published_by: by.id })
      .onConflict((oc) => oc.columns(['hall_id', 'month']).doNothing()).executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) throw new ConflictError('REPORT_ALREADY_PUBLISHED', `The report of ${month} is published already; a published report is kept as it was.`);
    await audit(trx, now, { hallId, actorId: by.id, actor: by.name, action: 'report.published', target: `report:${month}`, detail: { month }, ip: by.ip });
    return report;
  });
}

/** The report as CSV (Excel opens it as UTF-8 with the BOM), one table after another. */
export function reportCsv(r: EvaluationReport): string {
  const rate = (v: number | null) => (v === null ? '' : String(v));
  const lines = [
    [`${r.hallName} ${r.month} 好差评报告${r.provisional ? '（未发布，数据可能变化）' : ''}`],
    ['范围', '办件量', '评价数', '好评率%', '差评数', '差评回复率%', '差评整改率%', '回访满意率%'],
    [r.hallName, r.totals.served, r.totals.rated, rate(r.totals.goodRate), r.totals.bad, rate(r.totals.badReplyRate), rate(r.totals.rectifyRate), rate(r.totals.rectifySatisfactionRate)],
    ...r.byHall.map((h) => [h.name, h.served, h.rated, rate(h.goodRate), h.bad, rate(h.badReplyRate), rate(h.rectifyRate), rate(h.rectifySatisfactionRate)]),
    [],
    ['事项', '办件量', '评价数', '好评率%'],
    ...r.byService.map((s) => [s.label, s.served, s.rated, rate(s.goodRate)]),
  ];
  return `\uFEFF${lines.map((l) => l.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
