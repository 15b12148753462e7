import { deviceRoom, hallRoom, hallStaffRoom, sessionRoom, staffRoom, windowRoom } from '../../protocol/events.js';
import { mayEnterHall, seesWholeHall } from '../access/policies.js';
import type { DeviceRow, SessionRow, StaffRow } from '../db/schema.js';

/** What one socket may see, decided once at the handshake. */
export type Scope =
  | {
    kind: 'hall'; hallId: number; full: boolean; windowId: number | null; sessionId: string | null; deviceId: number | null; rooms: string[];
    /** When a staff session's absolute lifetime ends (its socket is ended then, to the second). */
    expiresAt?: number;
  }
  | { kind: 'ticket'; hallId: number; ticketRef: number; rooms: string[] };

export class HandshakeError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

type HallScope = Scope & { kind: 'hall' };

/**
 * A clerk's scope at a window (or at none): the window's room is the one room that follows the
 * window they sign in to, at the handshake and when they change windows with the socket open.
 */
export function atWindow(scope: HallScope, windowId: number | null): HallScope {
  const others = scope.windowId === null ? scope.rooms : scope.rooms.filter((r) => r !== windowRoom(scope.windowId!));
  return { ...scope, windowId, rooms: windowId === null ? others : [...others, windowRoom(windowId)] };
}

export type HallPrincipal = { kind: 'staff'; staff: StaffRow; session: SessionRow } | { kind: 'device'; device: DeviceRow };

/**
 * The rooms a signed-in person or a device follows in a hall: one rule for the socket handshake
 * and the REST event log (`GET /halls/{id}/events`), so both give each principal the same events.
 * `hallId` is the hall asked for (an admin, who belongs to none, must name one).
 */
export function scopeOf(who: HallPrincipal, requested: number | undefined): HallScope {
  if (who.kind === 'device') {
    const { device } = who;
    if (requested !== undefined && !mayEnterHall(device.hall_id, requested)) throw new HandshakeError('HALL_FORBIDDEN', 'This device belongs to another hall.');
    return { kind: 'hall', hallId: device.hall_id, full: false, windowId: null, sessionId: null, deviceId: device.id, rooms: [hallRoom(device.hall_id), deviceRoom(device.id)] };
  }
  const { staff, session } = who;
  const hallId = staff.hall_id ?? requested;
  if (hallId === undefined) throw new HandshakeError('HALL_REQUIRED', 'An admin names the hall to follow (auth.hallId).');
  if (requested !== undefined && !mayEnterHall(staff.hall_id, requested)) throw new HandshakeError('HALL_FORBIDDEN', 'This account belongs to another hall.');
  const personal = [sessionRoom(session.id), staffRoom(staff.id)];
  if (!seesWholeHall(staff.role)) {
    const scope: HallScope = {
      kind: 'hall', hallId, full: false, windowId: null, sessionId: session.id, deviceId: null, expiresAt: session.expires_at,
      rooms: [hallRoom(hallId), ...personal],
    };
    return atWindow(scope, session.window_id);
  }
  return { kind: 'hall', hallId, full: true, windowId: null, sessionId: session.id, deviceId: null, expiresAt: session.expires_at, rooms: [hallStaffRoom(hallId), ...personal] };
}
