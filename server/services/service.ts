import type { Kysely } from 'kysely';
import type { CreateServiceBody, ServiceView, UpdateServiceBody } from '../../protocol/services.js';
import type { Database, ServiceRow } from '../db/schema.js';
import { writeInHall, type WriteDeps } from '../db/write.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { findClash, findService, insertService, listServices, updateService } from './repository.js';

export function serviceView(row: ServiceRow): ServiceView {
  return {
    id: row.id,
    hallId: row.hall_id,
    code: row.code,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    prefix: row.prefix,
    expectedMinutes: row.expected_minutes,
    dailyQuota: row.daily_quota,
    active: row.active === 1,
    sortOrder: row.sort_order,
    issueCutoffMinutes: row.issue_cutoff_minutes,
    bookingDaysAhead: row.booking_days_ahead,
    slotMinutes: row.slot_minutes,
    slotCapacity: row.slot_capacity,
    materials: materialsOf(row),
    conditions: row.conditions,
    onlinePerHour: row.online_per_hour,
    createdAt: row.created_at,
  };
}

/** The service's materials list (stored as JSON). */
export function materialsOf(row: { materials: string }): string[] {
  return JSON.parse(row.materials) as string[];
}

export async function loadService(db: Kysely<Database>, hallId: number, id: number): Promise<ServiceRow> {
  const row = await findService(db, hallId, id);
  if (!row) throw new NotFoundError('SERVICE_NOT_FOUND', `Service ${id} does not exist in hall ${hallId}.`);
  return row;
}

export async function servicesOfHall(db: Kysely<Database>, hallId: number): Promise<ServiceRow[]> {
  return listServices(db, hallId);
}

async function refuseClash(db: Kysely<Database>, hallId: number, body: UpdateServiceBody, exceptId: number | null) {
  const clash = await findClash(db, hallId, body.prefix, body.code, exceptId);
  if (!clash) return;
  if (clash.prefix === body.prefix) {
    throw new ConflictError('PREFIX_TAKEN', `Prefix ${body.prefix} is already used by ${clash.name_zh}.`, { field: 'body.prefix' });
  }
  throw new ConflictError('SERVICE_CODE_TAKEN', `Code ${body.code} is already used by ${clash.name_zh}.`, { field: 'body.code' });
}

/** The columns a create or change body sets as they are (absent in a change: left as they were). */
function columnsOf<B extends Partial<CreateServiceBody>>(body: B): {
  code: B['code']; name_zh: B['nameZh']; name_en: B['nameEn']; prefix: B['prefix']; expected_minutes: B['expectedMinutes'];
  daily_quota: B['dailyQuota']; sort_order: B['sortOrder']; issue_cutoff_minutes: B['issueCutoffMinutes'];
  booking_days_ahead: B['bookingDaysAhead']; slot_minutes: B['slotMinutes']; slot_capacity: B['slotCapacity'];
  materials: string | undefined; conditions: B['conditions']; online_per_hour: B['onlinePerHour'];
} {
  return {
    code: body.code, name_zh: body.nameZh, name_en: body.nameEn, prefix: body.prefix, expected_minutes: body.expectedMinutes,
    daily_quota: body.dailyQuota, sort_order: body.sortOrder, issue_cutoff_minutes: body.issueCutoffMinutes,
    booking_days_ahead: body.bookingDaysAhead, slot_minutes: body.slotMinutes, slot_capacity: body.slotCapacity,
    materials: body.materials === undefined ? undefined : JSON.stringify(body.materials), conditions: body.conditions,
    online_per_hour: body.onlinePerHour,
  };
}

export async function createService(deps: WriteDeps, hallId: number, body: CreateServiceBody): Promise<ServiceRow> {
  return writeInHall(deps, hallId, async ({ trx, now, record }) => {
    await refuseClash(trx, hallId, body, null);
    const row = await insertService(trx, {
      ...columnsOf(body), hall_id: hallId, active: body.active ? 1 : 0, ewma_handling_ms: body.expectedMinutes * 60_000, created_at: now,
    });
    await record(hallId, { type: 'service:changed', payload: { service: serviceView(row) } });
    return row;
  });
}

export async function changeService(deps: WriteDeps, hallId: number, id: number, body: UpdateServiceBody): Promise<ServiceRow> {
  return writeInHall(deps, hallId, async ({ trx, record }) => {
    const current = await loadService(trx, hallId, id);
    await refuseClash(trx, hallId, body, id);
    const row = await updateService(trx, id, {
      ...columnsOf(body),
      active: body.active === undefined ? undefined : body.active ? 1 : 0,
      // A new expectation restarts the moving average from it.
      ewma_handling_ms: body.expectedMinutes !== undefined && body.expectedMinutes !== current.expected_minutes
        ? body.expectedMinutes * 60_000 : undefined,
    });
    await record(hallId, { type: 'service:changed', payload: { service: serviceView(row) } });
    return row;
  });
}
