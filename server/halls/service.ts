import type { Kysely } from 'kysely';
import { type CreateHallBody, defaultHallSettings, HallSettings, type HallView, OpeningHours, type UpdateHallBody } from '../../protocol/halls.js';
import type { Database, HallRow } from '../db/schema.js';
import { audit, type AuditBy, SYSTEM } from '../audit/repository.js';
import { write, type WriteDeps } from '../db/write.js';
import { businessDay } from '../domain/business-day.js';
import { NotFoundError } from '../errors.js';
import { findHall, insertHall, listHalls, updateHall } from './repository.js';

export interface Hall {
  id: number;
  name: string;
  timezone: string;
  openingHours: OpeningHours;
  settings: HallSettings;
  createdAt: number;
}

export function toHall(row: HallRow): Hall {
  return {
    id: row.id,
    name: row.name,
    timezone: row.timezone,
    openingHours: OpeningHours.parse(JSON.parse(row.opening_hours)),
    // Settings added after a hall was created take their defaults.
    settings: HallSettings.parse({ ...defaultHallSettings, ...JSON.parse(row.settings) }),
    createdAt: row.created_at,
  };
}

export function hallView(hall: Hall, now: number): HallView {
  return { ...hall, businessDay: businessDay(now, hall.timezone) };
}

export async function loadHall(db: Kysely<Database>, id: number): Promise<Hall> {
  return toHall((await findHall(db, id)) ?? notFound(id));
}

export async function hallsVisibleTo(db: Kysely<Database>, onlyHallId: number | null): Promise<Hall[]> {
  return (await listHalls(db, onlyHallId)).map(toHall);
}

export async function createHall(deps: WriteDeps, body: CreateHallBody): Promise<Hall> {
  return write(deps, async ({ trx, now }) => {
    const row = await insertHall(trx, {
      name: body.name,
      timezone: body.timezone,
      opening_hours: JSON.stringify(body.openingHours),
      settings: JSON.stringify({ ...defaultHallSettings, ...body.settings }),
      created_at: now,
    });
    return toHall(row);
  });
}

export async function changeHall(deps: WriteDeps, id: number, body: UpdateHallBody, by: AuditBy = SYSTEM): Promise<Hall> {
  return write(deps, async ({ trx, now, record }) => {
    const current = toHall((await findHall(trx, id)) ?? notFound(id));
    const row = await updateHall(trx, id, {
      name: body.name ?? current.name,
      timezone: body.timezone ?? current.timezone,
      opening_hours: JSON.stringify(body.openingHours ?? current.openingHours),
      settings: JSON.stringify({ ...current.settings, ...body.settings }),
    });
    const hall = toHall(row);
    await record(id, { type: 'hall:changed', payload: { hall: hallView(hall, now) } });
    // Settings decide who must use a second factor and when numbers are given: on the record.
    await audit(trx, now, { hallId: id, actorId: by.id, actor: by.name, action: 'hall.changed', target: hall.name, detail: body as Record<string, unknown>, ip: by.ip });
    return hall;
  });
}

function notFound(id: number): never {
  throw new NotFoundError('HALL_NOT_FOUND', `Hall ${id} does not exist.`);
}
