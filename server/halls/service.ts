import type { Kysely } from 'kysely';
import {
  type CreateHallBody, defaultHallSettings, type DisplayZone, type HallLevel, HallLevel as Levels, HallSettings, type HallView, OpeningHours, type UpdateHallBody,
} from '../../protocol/halls.js';
import type { PublicHall } from '../../protocol/appointments.js';
import type { Database, HallRow } from '../db/schema.js';
import { isManager } from '../access/policies.js';
import { audit, type AuditBy, SYSTEM } from '../audit/repository.js';
import { raiseConfigVersion } from '../db/event-log.js';
import { write, type WriteDeps } from '../db/write.js';
import { businessDay } from '../domain/business-day.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import { findHall, insertHall, listHalls, updateHall, zoneMembers } from './repository.js';

export interface Hall {
  id: number;
  name: string;
  parentId: number | null;
  level: HallLevel;
  timezone: string;
  openingHours: OpeningHours;
  settings: HallSettings;
  createdAt: number;
}

/**
 * Parsed hours and settings by their stored text: every write reads its hall, and parsing and
 * validating the same JSON again each time was a measurable share of issuing a ticket.
 * Bounded, and keyed by the text itself, so a change is never served stale.
 */
const parsed = new Map<string, { openingHours: Hall['openingHours']; settings: HallSettings }>();

function parseHallJson(row: HallRow): { openingHours: Hall['openingHours']; settings: HallSettings } {
  const key = `${row.opening_hours}\u0000${row.settings}`;
  let found = parsed.get(key);
  if (!found) {
    found = deepFreeze({
      openingHours: OpeningHours.parse(JSON.parse(row.opening_hours)),
      // Settings added after a hall was created take their defaults.
      settings: HallSettings.parse({ ...defaultHallSettings, ...JSON.parse(row.settings) }),
    });
    if (parsed.size >= 500) parsed.clear();
    parsed.set(key, found);
  }
  return found;
}

/** Parsed settings are shared by every hall object made from the same text: frozen, so nobody changes them for the others. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

export function toHall(row: HallRow): Hall {
  const { openingHours, settings } = parseHallJson(row);
  return {
    id: row.id,
    name: row.name,
    parentId: row.parent_id,
    level: row.level,
    timezone: row.timezone,
    openingHours,
    settings,
    createdAt: row.created_at,
  };
}

/** A hall as the public booking page sees it: no settings, no tree. */
export function publicHallView(hall: Hall): PublicHall {
  return { id: hall.id, name: hall.name, timezone: hall.timezone };
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

/**
 * Where a hall may sit: under an existing hall of a higher level (区 → 街道 → 社区), never under
 * itself or a hall below it, and above its own children.
 */
async function checkPlace(db: Kysely<Database>, id: number | null, parentId: number | null, level: HallLevel): Promise<void> {
  const all = (await listHalls(db, null)).map(toHall);
  const rank = (l: HallLevel) => Levels.options.indexOf(l);
  if (parentId !== null) {
    const parent = all.find((h) => h.id === parentId);
    if (!parent) throw new BadRequestError('PARENT_NOT_FOUND', `Hall ${parentId} does not exist.`, { field: 'body.parentId' });
    if (id !== null && (parentId === id || descendantIds(all, id).has(parentId))) {
      throw new BadRequestError('PARENT_CYCLE', 'A hall cannot sit under itself or a hall below it.', { field: 'body.parentId' });
    }
    if (rank(level) <= rank(parent.level)) {
      throw new BadRequestError('LEVEL_NOT_BELOW_PARENT', `A hall under a ${parent.level} hall is at a lower level.`, { field: 'body.level' });
    }
  }
  if (id !== null && all.some((h) => h.parentId === id && rank(h.level) <= rank(level))) {
    throw new BadRequestError('LEVEL_NOT_ABOVE_CHILDREN', 'The halls below this one must stay at lower levels.', { field: 'body.level' });
  }
}

/** Every hall below `id` (children, their children…). */
export function descendantIds(all: readonly Pick<Hall, 'id' | 'parentId'>[], id: number): Set<number> {
  const found = new Set<number>();
  let frontier = [id];
  while (frontier.length) {
    frontier = all.filter((h) => h.parentId !== null && frontier.includes(h.parentId) && !found.has(h.id)).map((h) => h.id);
    frontier.forEach((x) => found.add(x));
  }
  return found;
}

/** A hall and every hall below it, in tree order (each parent before its children), with depths. */
export async function subtree(db: Kysely<Database>, rootId: number): Promise<(Hall & { depth: number })[]> {
  const all = (await listHalls(db, null)).map(toHall);
  const out: (Hall & { depth: number })[] = [];
  const walk = (hall: Hall, depth: number) => {
    out.push({ ...hall, depth });
    for (const child of all.filter((h) => h.parentId === hall.id)) walk(child, depth + 1);
  };
  const root = all.find((h) => h.id === rootId);
  if (root) walk(root, 0);
  return out;
}

export async function createHall(deps: WriteDeps, body: CreateHallBody): Promise<Hall> {
  return write(deps, async ({ trx, now }) => {
    await checkPlace(trx, null, body.parentId, body.level);
    const row = await insertHall(trx, {
      name: body.name,
      parent_id: body.parentId,
      level: body.level,
      timezone: body.timezone,
      opening_hours: JSON.stringify(body.openingHours),
      settings: JSON.stringify({ ...defaultHallSettings, ...body.settings }),
      created_at: now,
    });
    if (body.settings.displayZones?.length) await checkZones(trx, row.id, body.settings.displayZones);
    return toHall(row);
  });
}

export async function changeHall(deps: WriteDeps, id: number, body: UpdateHallBody, by: AuditBy = SYSTEM): Promise<Hall> {
  return write(deps, async ({ trx, now, record, afterCommit }) => {
    const current = toHall((await findHall(trx, id)) ?? notFound(id));
    if (body.parentId !== undefined || body.level !== undefined) {
      await checkPlace(trx, id, body.parentId === undefined ? current.parentId : body.parentId, body.level ?? current.level);
    }
    if (body.settings?.displayZones) await checkZones(trx, id, body.settings.displayZones);
    const row = await updateHall(trx, id, {
      name: body.name ?? current.name,
      parent_id: body.parentId === undefined ? current.parentId : body.parentId,
      level: body.level ?? current.level,
      timezone: body.timezone ?? current.timezone,
      opening_hours: JSON.stringify(body.openingHours ?? current.openingHours),
      settings: JSON.stringify({ ...current.settings, ...body.settings }),
    });
    const hall = toHall(row);
    // Moved in the tree: the halls below now inherit other holidays (the hall itself is raised by its trigger).
    if (hall.parentId !== current.parentId) await raiseConfigVersion(trx, (await subtree(trx, id)).filter((h) => h.id !== id).map((h) => h.id));
    if (hall.settings.requireTwoFactor && !current.settings.requireTwoFactor) {
      // From now on managers (and admins) without an authenticator app must set one up first:
      // their live connections end, and reconnecting asks for the setup.
      const owing = (await trx.selectFrom('staff').select(['id', 'role'])
        .where((eb) => eb.or([eb('hall_id', '=', id), eb('role', '=', 'admin')])).where('totp_enabled_at', 'is', null).execute())
        .filter((s) => isManager(s.role));
      afterCommit(() => owing.forEach((s) => deps.bus.revoke({ kind: 'staff', id: s.id })));
    }
    await record(id, { type: 'hall:changed', payload: { hall: hallView(hall, now) } });
    // Settings decide who must use a second factor and when numbers are given: on the record.
    await audit(trx, now, { hallId: id, actorId: by.id, actor: by.name, action: 'hall.changed', target: hall.name, detail: body as Record<string, unknown>, ip: by.ip });
    return hall;
  });
}

/**
 * Zones name this hall's windows and displays; a zone's name is its own; a display is in one zone
 * at most (it shows one set of windows).
 */
async function checkZones(db: Kysely<Database>, hallId: number, zones: DisplayZone[]): Promise<void> {
  const { windowIds, displayIds } = await zoneMembers(db, hallId);
  const names = new Set<string>();
  const placed = new Set<number>();
  zones.forEach((zone, i) => {
    const at = `body.settings.displayZones.${i}`;
    if (names.has(zone.name)) throw new BadRequestError('ZONE_NAME_TAKEN', `Two zones are called ${zone.name}.`, { field: `${at}.name` });
    names.add(zone.name);
    zone.windowIds.forEach((w, j) => {
      if (!windowIds.has(w)) throw new BadRequestError('ZONE_WINDOW_UNKNOWN', `Window ${w} is not a window of this hall.`, { field: `${at}.windowIds.${j}` });
    });
    zone.displayIds.forEach((d, j) => {
      if (!displayIds.has(d)) throw new BadRequestError('ZONE_DISPLAY_UNKNOWN', `Device ${d} is not a display of this hall in use.`, { field: `${at}.displayIds.${j}` });
      if (placed.has(d)) throw new BadRequestError('ZONE_DISPLAY_TWICE', `Display ${d} is in two zones; a display shows one.`, { field: `${at}.displayIds.${j}` });
      placed.add(d);
    });
  });
}

function notFound(id: number): never {
  throw new NotFoundError('HALL_NOT_FOUND', `Hall ${id} does not exist.`);
}
