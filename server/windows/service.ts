import type { Kysely } from 'kysely';
import type { SpecialPurpose, WindowKind, WindowState } from '../../protocol/enums.js';
import type { OpeningHours } from '../../protocol/halls.js';
import type { CreateWindowBody, PauseReason, UpdateWindowBody, WindowView } from '../../protocol/windows.js';
import { audit, type AuditBy } from '../audit/repository.js';
import { detachSessionsFromWindow, setSessionWindow } from '../sessions/repository.js';
import type { Database, SessionRow, StaffRow } from '../db/schema.js';
import { writeInHall, type Write, type WriteDeps } from '../db/write.js';
import { businessDay } from '../domain/business-day.js';
import type { RoutingWindow } from '../domain/routing.js';
import { BadRequestError, ConflictError, NotFoundError } from '../errors.js';
import { listServices } from '../services/repository.js';
import {
  activeTicketOfWindow, endPause, findWindow, findWindowByNumber, findWindowOfStaff, insertPause, insertWindow, listWindows, replaceTiers,
  tiersOfHall, updateWindow, type WindowWithStaff,
} from './repository.js';

export interface HallWindow extends RoutingWindow {
  hallId: number;
  number: string;
  specialPurpose: SpecialPurpose | null;
  active: boolean;
  state: WindowState;
  staffId: number | null;
  staffName: string | null;
  createdAt: number;
  pauseReason: PauseReason | null;
  pausedAt: number | null;
  /** When the clerk last pressed 评价 on the window's keypad. */
  ratingInvitedAt: number | null;
  /** 值班窗口: its own weekly hours beyond the hall's; empty for none. */
  dutyHours: OpeningHours;
}

/** Who changes a window's state: logged when it is not the clerk signed in there (a manager from the live view). */
export interface WindowActor extends AuditBy {
  staffId: number;
}

function toWindow(row: WindowWithStaff, tiers: number[][]): HallWindow {
  return {
    id: row.id,
    hallId: row.hall_id,
    number: row.number,
    kind: row.kind,
    specialPurpose: row.special_purpose,
    active: row.active === 1,
    state: row.state,
    staffId: row.staff_id,
    staffName: row.staff_name,
    tiers: row.kind === 'comprehensive' ? [] : tiers,
    createdAt: row.created_at,
    pauseReason: row.pause_reason as PauseReason | null,
    pausedAt: row.paused_at,
    ratingInvitedAt: row.rating_invited_at,
    dutyHours: JSON.parse(row.duty_hours) as OpeningHours,
  };
}

export function windowView(w: HallWindow): WindowView {
  return {
    id: w.id, hallId: w.hallId, number: w.number, kind: w.kind, specialPurpose: w.specialPurpose,
    active: w.active, state: w.state, staffId: w.staffId, staffName: w.staffName,
    tiers: w.tiers.map((t) => [...t]), createdAt: w.createdAt, pauseReason: w.pauseReason, pausedAt: w.pausedAt,
    dutyHours: w.dutyHours.map((h) => ({ ...h })),
  };
}

export async function windowsOfHall(db: Kysely<Database>, hallId: number): Promise<HallWindow[]> {
  const [rows, tiers] = await Promise.all([listWindows(db, hallId), tiersOfHall(db, hallId)]);
  return rows.map((r) => toWindow(r, tiers.get(r.id) ?? []));
}

export async function loadWindow(db: Kysely<Database>, hallId: number, id: number): Promise<HallWindow> {
  const row = await findWindow(db, hallId, id);
  if (!row) throw new NotFoundError('WINDOW_NOT_FOUND', `Window ${id} does not exist in hall ${hallId}.`);
  const tiers = await tiersOfHall(db, hallId);
  return toWindow(row, tiers.get(id) ?? []);
}

/** Checks kind, purpose and tiers together; returns the tiers to store. */
async function checkShape(
  db: Kysely<Database>, hallId: number, kind: WindowKind, specialPurpose: SpecialPurpose | null, tiers: readonly (readonly number[])[],
): Promise<readonly (readonly number[])[]> {
  if (kind === 'special' && specialPurpose === null) {
    throw new BadRequestError('SPECIAL_PURPOSE_REQUIRED', 'A special window needs a specialPurpose.', { field: 'body.specialPurpose' });
  }
  if (kind !== 'special' && specialPurpose !== null) {
    throw new BadRequestError('SPECIAL_PURPOSE_NOT_ALLOWED', 'Only special windows have a specialPurpose.', { field: 'body.specialPurpose' });
  }
  // A comprehensive window serves every service, so tiers would only mislead.
  if (kind === 'comprehensive') return [];
  if (tiers.length === 0) {
    throw new BadRequestError('TIERS_REQUIRED', 'A domain or special window needs at least one tier of services.', { field: 'body.tiers' });
  }
  const known = new Set((await listServices(db, hallId)).map((s) => s.id));
  const seen = new Set<number>();
  for (const id of tiers.flat()) {
    if (!known.has(id)) throw new BadRequestError('SERVICE_NOT_IN_HALL', `Service ${id} is not a service of this hall.`, { field: 'body.tiers' });
    if (seen.has(id)) throw new BadRequestError('DUPLICATE_TIER_SERVICE', `Service ${id} appears in more than one tier.`, { field: 'body.tiers' });
    seen.add(id);
  }
  return tiers;
}

async function refuseTakenNumber(db: Kysely<Database>, hallId: number, number: string, exceptId: number | null) {
  const other = await findWindowByNumber(db, hallId, number);
  if (other && other.id !== exceptId) {
    throw new ConflictError('WINDOW_NUMBER_TAKEN', `Window number ${number} is already in use.`, { field: 'body.number' });
  }
}

export async function recordWindow(w: Write, hallId: number, id: number, type: 'window:changed' | 'window:opened' | 'window:closed' | 'window:paused' | 'window:resumed') {
  const window = await loadWindow(w.trx, hallId, id);
  await w.record(hallId, { type, windowId: id, payload: { window: windowView(window) } });
  return window;
}

export async function createWindow(deps: WriteDeps, hallId: number, body: Omit<CreateWindowBody, 'dutyHours'> & { dutyHours?: OpeningHours }): Promise<HallWindow> {
  return writeInHall(deps, hallId, async (w) => {
    const tiers = await checkShape(w.trx, hallId, body.kind, body.specialPurpose, body.tiers);
    await refuseTakenNumber(w.trx, hallId, body.number, null);
    const row = await insertWindow(w.trx, {
      hall_id: hallId, number: body.number, kind: body.kind, special_purpose: body.specialPurpose,
      active: body.active ? 1 : 0, state: 'closed', staff_id: null, created_at: w.now, duty_hours: JSON.stringify(body.dutyHours ?? []),
    });
    await replaceTiers(w.trx, row.id, tiers);
    return recordWindow(w, hallId, row.id, 'window:changed');
  });
}

export async function changeWindow(deps: WriteDeps, hallId: number, id: number, body: UpdateWindowBody): Promise<HallWindow> {
  return writeInHall(deps, hallId, async (w) => {
    const current = await loadWindow(w.trx, hallId, id);
    const kind = body.kind ?? current.kind;
    const specialPurpose = body.specialPurpose !== undefined ? body.specialPurpose : kind === 'special' ? current.specialPurpose : null;
    const tiers = await checkShape(w.trx, hallId, kind, specialPurpose, body.tiers ?? current.tiers);
    if (body.number !== undefined) await refuseTakenNumber(w.trx, hallId, body.number, id);
    if (body.active === false && current.state !== 'closed') {
      throw new ConflictError('WINDOW_IN_USE', 'Sign the clerk out of this window before deactivating it.');
    }
    await updateWindow(w.trx, id, {
      number: body.number, kind, special_purpose: specialPurpose,
      active: body.active === undefined ? undefined : body.active ? 1 : 0,
      duty_hours: body.dutyHours === undefined ? undefined : JSON.stringify(body.dutyHours),
    });
    await replaceTiers(w.trx, id, tiers);
    return recordWindow(w, hallId, id, 'window:changed');
  });
}

/**
 * A staff member takes a window: it opens under their name, and their session remembers it, so
 * a clerk's window actions are checked against it. Taking a new window leaves the old one.
 */
export async function signInToWindow(deps: WriteDeps, hallId: number, id: number, staff: StaffRow, session: SessionRow): Promise<HallWindow> {
  return writeInHall(deps, hallId, async (w) => {
    const window = await loadWindow(w.trx, hallId, id);
    if (!window.active) throw new ConflictError('WINDOW_INACTIVE', `Window ${window.number} is not in use.`);
    if (window.staffId !== null && window.staffId !== staff.id) {
      throw new ConflictError('WINDOW_TAKEN', `${window.staffName ?? 'Someone'} is signed in to window ${window.number}.`);
    }
    const previous = await findWindowOfStaff(w.trx, staff.id);
    if (previous && previous.id !== id) await leaveWindow(w, previous.hall_id, previous.id);
    await setSessionWindow(w.trx, session.id, id);
    w.afterCommit(() => w.bus.windowChanged({ sessionId: session.id, windowId: id }));
    if (window.staffId !== staff.id) {
      await updateWindow(w.trx, id, { staff_id: staff.id, state: 'open' });
      return recordWindow(w, hallId, id, 'window:opened');
    }
    return window;
  });
}

/** Closes a window. Its current citizen, if any, stays with it until someone signs in again. */
async function leaveWindow(w: Write, hallId: number, id: number): Promise<HallWindow> {
  await endPause(w.trx, id, w.now);
  await updateWindow(w.trx, id, { staff_id: null, state: 'closed', pause_reason: null, paused_at: null });
  for (const sessionId of await detachSessionsFromWindow(w.trx, id)) w.afterCommit(() => w.bus.windowChanged({ sessionId, windowId: null }));
  return recordWindow(w, hallId, id, 'window:closed');
}

export async function signOutOfWindow(deps: WriteDeps, hallId: number, id: number, by?: WindowActor): Promise<HallWindow> {
  return writeInHall(deps, hallId, async (w) => {
    const window = await loadWindow(w.trx, hallId, id);
    if (window.state === 'closed') throw new ConflictError('WINDOW_NOT_OPEN', `Window ${window.number} is not open.`);
    await logRemote(w, window, 'window.closed', by);
    return leaveWindow(w, hallId, id);
  });
}

/** A manager changing someone else's window from afar: on the record, with who and why. */
async function logRemote(w: Write, window: HallWindow, action: string, by: WindowActor | undefined, detail: Record<string, unknown> = {}): Promise<void> {
  if (!by || by.staffId === window.staffId) return;
  await audit(w.trx, w.now, {
    hallId: window.hallId, actorId: by.id, actor: by.name, action, target: `window:${window.number}`,
    detail: { windowId: window.id, clerk: window.staffName, ...detail }, ip: by.ip,
  });
}

/** Called on sign-out of a session: the clerk's window closes with them. */
export async function leaveWindowOfStaff(w: Write, staffId: number): Promise<void> {
  const window = await findWindowOfStaff(w.trx, staffId);
  if (window) await leaveWindow(w, window.hall_id, window.id);
}

/** 暂停 with a reason: the window stops calling; the pause is kept for the statistics. */
export async function pauseWindow(deps: WriteDeps, hallId: number, id: number, reason: PauseReason, timeZone: string, by?: WindowActor): Promise<HallWindow> {
  return writeInHall(deps, hallId, async (w) => {
    const window = await loadWindow(w.trx, hallId, id);
    if (window.state === 'closed') throw new ConflictError('WINDOW_NOT_OPEN', `Window ${window.number} is not open.`);
    if (window.state === 'paused') throw new ConflictError('WINDOW_ALREADY_PAUSED', `Window ${window.number} is already paused.`);
    if (await activeTicketOfWindow(w.trx, id)) {
      throw new ConflictError('WINDOW_BUSY', 'Finish, hold or transfer the current citizen before pausing.');
    }
    await updateWindow(w.trx, id, { state: 'paused', pause_reason: reason, paused_at: w.now });
    await insertPause(w.trx, { hall_id: hallId, window_id: id, staff_id: window.staffId, reason, business_day: businessDay(w.now, timeZone), started_at: w.now, ended_at: null });
    await logRemote(w, window, 'window.paused', by, { reason });
    return recordWindow(w, hallId, id, 'window:paused');
  });
}

export async function resumeWindow(deps: WriteDeps, hallId: number, id: number, by?: WindowActor): Promise<HallWindow> {
  return writeInHall(deps, hallId, async (w) => {
    const window = await loadWindow(w.trx, hallId, id);
    if (window.state !== 'paused') throw new ConflictError('WINDOW_NOT_PAUSED', `Window ${window.number} is not paused.`);
    await endPause(w.trx, id, w.now);
    await logRemote(w, window, 'window.resumed', by);
    await updateWindow(w.trx, id, { state: 'open', pause_reason: null, paused_at: null });
    return recordWindow(w, hallId, id, 'window:resumed');
  });
}
