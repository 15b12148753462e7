import { type FeedRecord, type FeedRecordView, LEVEL_NAMES_ZH } from '../../protocol/feed.js';
import type { CaseState } from '../../protocol/evaluations.js';
import type { Channel } from '../../protocol/enums.js';
import { DAY_MS } from '../../protocol/constants.js';
import type { FeedRecordRow, FeedRecordsTable } from '../db/schema.js';
import { write, type WriteDeps } from '../db/write.js';
import { postSigned } from '../notifications/sender.js';
import { appealsToFeed, caseStepsToFeed, claimDueRecords, insertRecord, markRecordFailed, markRecordSent, ratingsToFeed } from './repository.js';

/**
 * 好差评 to the provincial platform. Records are made from the committed rows (a rating, an
 * appeal decision, a case step), so nothing that committed is missed, even after a crash; a
 * record's id is unique, so two processes making the same record make it once. Then each is
 * POSTed, signed, with retries: 30 s, 1, 2, 4, 8, 16, 32 min, then hourly, 12 attempts in all
 * (about five hours), after which it is `failed` until the manager sends the failed ones again.
 */

/** Rows this recent are looked at for records not made yet (a feed configured later sends the last week). */
const LOOK_BACK_MS = 7 * DAY_MS;
const MAX_ATTEMPTS = 12;
const FIRST_RETRY_MS = 30_000;
const LONGEST_RETRY_MS = 3600_000;
const BATCH = 50;
const LEASE_MS = 10 * 60_000;

export interface FeedTarget {
  url: string;
  secret: string;
}

export function feedRetryAt(now: number, attempts: number): number | null {
  return attempts >= MAX_ATTEMPTS ? null : now + Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempts - 1));
}

/** Makes the records of every rating, appeal decision and case step that has none yet. Returns how many. */
export async function collectFeed(deps: WriteDeps, target: FeedTarget | null): Promise<number> {
  return write(deps, async ({ trx, now }) => {
    const since = now - LOOK_BACK_MS;
    const [ratings, appeals, steps] = await Promise.all([ratingsToFeed(trx, since), appealsToFeed(trx, since), caseStepsToFeed(trx, since)]);
    const records: { hallId: number; record: FeedRecord }[] = [
      ...ratings.map((r) => ({
        hallId: r.hall_id,
        record: base(`rating:${r.id}`, 'rating', r.hall_id, r.hall_name, r.created_at, {
          rating: {
            evaluationId: r.id, level: r.level, levelName: LEVEL_NAMES_ZH[r.level - 1]!, ratingChannel: r.source, ratedAt: r.created_at,
            tags: JSON.parse(r.tags) as string[], comment: r.comment,
            service: { id: r.service_id, code: r.service_code, name: r.service_name },
            window: r.window_id === null || r.window_number === null ? null : { id: r.window_id, number: r.window_number },
            staffNumber: r.staff_number ?? null, staffName: r.staff_name ?? null,
            ticket: { displayNumber: r.display_number, businessDay: r.business_day, channel: r.channel as Channel },
          },
        }),
      })),
      ...steps.map((s) => ({
        hallId: s.hall_id,
        record: base(`case-step:${s.id}`, 'case_step', s.hall_id, s.hall_name, s.at, {
          caseStep: {
            caseId: s.case_id, evaluationId: s.evaluation_id, complaintId: s.complaint_id, fromState: s.from_state,
            state: s.to_state as CaseState,
            note: s.note, at: s.at,
            citizenSatisfied: s.to_state === 'closed' && s.citizen_satisfied !== null ? s.citizen_satisfied === 1 : null,
          },
        }),
      })),
      ...appeals.map((a) => ({
        hallId: a.hall_id,
        record: base(`appeal:${a.id}`, 'appeal', a.hall_id, a.hall_name, a.decided_at!, {
          appeal: { evaluationId: a.id, decision: a.appeal_state as 'upheld' | 'voided', decidedAt: a.decided_at! },
        }),
      })),
    ];
    // In the order things happened: a 差评 before the case it opened.
    const order = { rating: 0, case_step: 1, appeal: 2 } as const;
    records.sort((a, b) => a.record.at - b.record.at || order[a.record.type] - order[b.record.type]);
    for (const { hallId, record } of records) {
      const row: Omit<FeedRecordsTable, 'id' | 'attempts'> = {
        hall_id: hallId, record_id: record.recordId, kind: record.type, payload: JSON.stringify(record),
        status: target ? 'pending' : 'kept', next_attempt_at: now, last_error: null, created_at: now, sent_at: null,
      };
      await insertRecord(trx, row);
    }
    return records.length;
  });
}

function base(recordId: string, type: FeedRecord['type'], hallId: number, hallName: string, at: number, parts: Partial<Pick<FeedRecord, 'rating' | 'appeal' | 'caseStep'>>): FeedRecord {
  return { recordId, type, version: 1, hall: { id: hallId, name: hallName }, at, rating: null, appeal: null, caseStep: null, ...parts };
}

/** Sends every due record; a failure is retried later, never thrown. */
export async function deliverFeed(deps: Pick<WriteDeps, 'db' | 'clock'>, target: FeedTarget): Promise<{ sent: number; failed: number }> {
  const now = deps.clock.now();
  let sent = 0;
  let failed = 0;
  for (const row of await claimDueRecords(deps.db, now, BATCH, now + LEASE_MS)) {
    try {
      await postSigned(target.url, target.secret, JSON.parse(row.payload), 10_000, 'the 好差评 platform');
      await markRecordSent(deps.db, row.id, deps.clock.now());
      sent++;
    } catch (err) {
      failed++;
      await markRecordFailed(deps.db, row.id, err instanceof Error ? err.message : String(err), feedRetryAt(deps.clock.now(), row.attempts + 1));
    }
  }
  return { sent, failed };
}

export function feedRecordView(row: FeedRecordRow): FeedRecordView {
  return {
    id: row.id, recordId: row.record_id, type: row.kind, status: row.status, attempts: row.attempts,
    lastError: row.last_error, createdAt: row.created_at, sentAt: row.sent_at, record: JSON.parse(row.payload) as FeedRecord,
  };
}
