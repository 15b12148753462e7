import type { Kysely } from 'kysely';
import type { Database, NewTicket } from '../db/schema.js';
import { businessDay } from '../domain/business-day.js';
import { addWorkingDays } from '../domain/calendar.js';
import { seededRandom } from '../domain/random.js';
import { newTicketToken } from '../domain/secrets.js';
import { loadHall } from '../halls/service.js';
import { computeDay, storeDay } from '../rollups/rollup.js';
import { displayNumber } from '../tickets/views.js';

/** Relative arrivals per hour of the day: a morning peak, the lunch dip, an afternoon peak. */
const HOURLY = new Map([[9, 1.0], [10, 1.4], [11, 1.25], [12, 0.35], [13, 0.6], [14, 1.2], [15, 1.25], [16, 0.85]]);
const MIN = 60_000;


export interface HistoryOptions {
  hallId: number;
  days: number;
  /** Citizens on a busy weekday (Saturday half, Sunday closed). */
  perDay: number;
  now: number;
  seed?: number;
  onDay?: (day: string, tickets: number) => void;
}

/**
 * Fills a hall with past business days of realistic service: arrivals by hour, each window a
 * queue with exponential handling around the service's expected minutes, no-shows, cancellations,
 * transfers, ratings with a few 差评 and their follow-up. Days are written directly (one
 * transaction each, with their rollups), not through the engine: it is demo data, and a year of
 * a busy hall is ~1.8 M tickets. Ticket transitions and hall events are not written for it.
 */
export async function fillHistory(db: Kysely<Database>, options: HistoryOptions): Promise<number> {
  const hall = await loadHall(db, options.hallId);
  const services = await db.selectFrom('services').selectAll().where('hall_id', '=', hall.id).where('active', '=', 1).execute();
  const windows = await db.selectFrom('windows').select(['id', 'kind']).where('hall_id', '=', hall.id).where('active', '=', 1).execute();
  const clerks = await db.selectFrom('staff').select('id').where('hall_id', '=', hall.id).where('role', '=', 'clerk').execute();
  if (services.length === 0 || windows.length === 0) throw new Error('the hall needs services and windows first');
  const rand = seededRandom(options.seed ?? 42);
  const exp = (mean: number) => -Math.log(1 - rand()) * mean;
  const weights = services.map((s, i) => ({ s, w: 1 / (1 + i * 0.35) }));
  const totalWeight = weights.reduce((n, x) => n + x.w, 0);
  const pickService = () => {
    let r = rand() * totalWeight;
    for (const x of weights) if ((r -= x.w) <= 0) return x.s;
    return weights[0]!.s;
  };
  const hourTotal = [...HOURLY.values()].reduce((a, b) => a + b, 0);
  let written = 0;

  for (let d = options.days; d >= 1; d--) {
    const dayStart = options.now - d * 86_400_000;
    const day = businessDay(dayStart, hall.timezone);
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (weekday === 0) continue; // Sunday: closed
    const volume = Math.round(options.perDay * (weekday === 6 ? 0.45 : 0.85 + rand() * 0.3));
    // Local midnight of that day, from the date and the hall's offset at noon.
    const noonUtc = Date.parse(`${day}T12:00:00Z`);
    const offsetMs = Date.parse(new Date(noonUtc).toLocaleString('en-US', { timeZone: hall.timezone })) - Date.parse(new Date(noonUtc).toLocaleString('en-US', { timeZone: 'UTC' }));
    const midnight = Date.parse(`${day}T00:00:00Z`) - offsetMs;

    const arrivals: { at: number; service: (typeof services)[number] }[] = [];
    for (const [hour, w] of HOURLY) {
      const n = Math.round((volume * w) / hourTotal);
      for (let i = 0; i < n; i++) arrivals.push({ at: midnight + hour * 3600_000 + Math.floor(rand() * 3600_000), service: pickService() });
    }
    arrivals.sort((a, b) => a.at - b.at);
    const freeAt = windows.map(() => midnight + 9 * 3600_000);
    const numbers = new Map<number, number>();
    const rows: NewTicket[] = [];
    const children: NewTicket[] = [];
    const ratings: { index: number; level: number; phone: boolean }[] = [];

    arrivals.forEach((a) => {
      const n = (numbers.get(a.service.id) ?? 0) + 1;
      numbers.set(a.service.id, n);
      const base: NewTicket = {
        hall_id: hall.id, service_id: a.service.id, business_day: day, number: n, display_number: displayNumber(a.service.prefix, n),
        token: newTicketToken(), channel: rand() < 0.9 ? 'kiosk' : 'helper', priority_class: rand() < 0.05 ? 'priority' : 'normal',
        status: 'done', window_id: null, staff_id: null, target_window_id: null, parent_ticket_id: null, recall_count: 0, requeue_count: 0,
        issued_at: a.at, queued_at: a.at, called_at: null, started_at: null, finished_at: null, appointment_start: null, appointment_end: null,
        issued_by_staff_id: null, issued_by_device_id: null, updated_at: a.at,
      };
      const r = rand();
      if (r < 0.01) {
        rows.push({ ...base, status: 'cancelled', updated_at: a.at + Math.floor(exp(10 * MIN)) });
        return;
      }
      const w = freeAt.indexOf(Math.min(...freeAt));
      const called = Math.max(a.at, freeAt[w]!);
      const staffId = clerks.length > 0 ? clerks[w % clerks.length]!.id : null;
      if (r < 0.04) {
        freeAt[w] = called + 2 * MIN;
        rows.push({ ...base, status: 'no_show', window_id: windows[w]!.id, staff_id: staffId, called_at: called, recall_count: 2, updated_at: called + 2 * MIN });
        return;
      }
      const handled = Math.max(MIN, Math.floor(exp(a.service.expected_minutes * MIN)));
      const finished = called + handled;
      freeAt[w] = finished + Math.floor(rand() * MIN);
      if (r < 0.06) {
        // Transferred to another service after a short look; served there later.
        const other = services[(services.indexOf(a.service) + 1) % services.length]!;
        rows.push({ ...base, status: 'transferred', window_id: windows[w]!.id, staff_id: staffId, called_at: called, started_at: called, updated_at: called + 3 * MIN });
        const w2 = freeAt.indexOf(Math.min(...freeAt));
        const called2 = Math.max(called + 3 * MIN, freeAt[w2]!);
        const handled2 = Math.max(MIN, Math.floor(exp(other.expected_minutes * MIN)));
        freeAt[w2] = called2 + handled2;
        children.push({
          ...base, service_id: other.id, status: 'done', window_id: windows[w2]!.id, staff_id: clerks.length > 0 ? clerks[w2 % clerks.length]!.id : null,
          called_at: called2, started_at: called2, finished_at: called2 + handled2, updated_at: called2 + handled2,
        });
        return;
      }
      rows.push({ ...base, window_id: windows[w]!.id, staff_id: staffId, called_at: called, started_at: called, finished_at: finished, updated_at: finished });
      if (rand() < 0.65) {
        const x = rand();
        const level = x < 0.8 ? 1 : x < 0.95 ? 2 : x < 0.98 ? 3 : x < 0.995 ? 4 : 5;
        ratings.push({ index: rows.length - 1, level, phone: rand() < 0.2 });
      }
    });

    await db.transaction().execute(async (trx) => {
      const ids: number[] = [];
      for (let i = 0; i < rows.length; i += 400) {
        const inserted = await trx.insertInto('tickets').values(rows.slice(i, i + 400)).returning('id').execute();
        ids.push(...inserted.map((x) => x.id));
      }
      // A transferred citizen keeps their token: it names the parent entry too.
      const idByToken = new Map(rows.map((r, i) => [r.token, ids[i]!]));
      for (const child of children) {
        await trx.insertInto('tickets').values({ ...child, parent_ticket_id: idByToken.get(child.token)! }).execute();
      }
      for (const [serviceId, last] of numbers) {
        await trx.insertInto('ticket_counters').values({ hall_id: hall.id, service_id: serviceId, business_day: day, last_number: last })
          .onConflict((oc) => oc.columns(['hall_id', 'service_id', 'business_day']).doUpdateSet({ last_number: last })).execute();
      }
      for (const rating of ratings) {
        const row = rows[rating.index]!;
        const at = row.finished_at! + 30_000;
        const evaluation = await trx.insertInto('evaluations').values({
          hall_id: hall.id, ticket_id: ids[rating.index]!, service_id: row.service_id, window_id: row.window_id, staff_id: row.staff_id,
          level: rating.level, tags: '[]', comment: rating.level >= 4 ? '等候时间较长' : null, contact: null, source: rating.phone ? 'phone' : 'evaluator',
          business_day: day, created_at: at, appeal_state: 'none', appeal_reason: null, appealed_by: null, appealed_at: null,
          decision_reason: null, decided_by: null, decided_at: null,
        }).returning('id').executeTakeFirstOrThrow();
        if (rating.level >= 4) {
          const closed = rand() < 0.9;
          await trx.insertInto('evaluation_cases').values({
            hall_id: hall.id, evaluation_id: evaluation.id, state: closed ? 'closed' : 'verified', owner_staff_id: null,
            verify_due_at: addWorkingDays(at, hall.settings.verifyWorkingDays, hall.timezone),
            rectify_due_at: addWorkingDays(at, hall.settings.rectifyWorkingDays, hall.timezone),
            citizen_satisfied: closed ? (rand() < 0.8 ? 1 : 0) : null, created_at: at, updated_at: at + 3 * 86_400_000,
            closed_at: closed ? at + 4 * 86_400_000 : null,
          }).execute();
        }
      }
      await storeDay(trx, hall.id, day, await computeDay(trx, hall.id, day, hall.timezone, hall.settings.slaTargetWaitMinutes));
    });
    written += rows.length + children.length;
    options.onDay?.(day, rows.length + children.length);
  }
  return written;
}
