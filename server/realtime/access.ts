import type { DeviceKind } from '../../protocol/enums.js';
import { deviceRoom, HandshakeAuth, hallRoom, hallStaffRoom, sessionRoom, staffRoom, ticketRoom, windowRoom } from '../../protocol/events.js';
import { deviceOfToken, staffOfSessionCookie } from '../access/credentials.js';
import { mayEnterHall, seesWholeHall } from '../access/policies.js';
import { setupPending } from '../auth/service.js';
import type { Db } from '../db/connect.js';
import type { DeviceRow, SessionRow, StaffRow } from '../db/schema.js';
import { findLiveByToken, ticketRefOf } from '../tickets/repository.js';

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

const DEVICE_KINDS: readonly DeviceKind[] = ['kiosk', 'display', 'evaluator'];

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

/**
 * Decides who is connecting: a phone page (ticket token), a device (device token) or staff
 * (session cookie), and which rooms it joins. Refuses anything else.
 */
export async function resolveScope(db: Db, rawAuth: unknown, sessionCookie: string | undefined, now: number, idleMs: number): Promise<Scope> {
  const parsed = HandshakeAuth.safeParse(rawAuth ?? {});
  if (!parsed.success) throw new HandshakeError('INVALID_HANDSHAKE', 'The handshake auth is malformed.');
  const auth = parsed.data;

  if (auth.ticketToken !== undefined) {
    const ticket = await findLiveByToken(db, auth.ticketToken);
    if (!ticket) throw new HandshakeError('TICKET_NOT_FOUND', 'No ticket has this token.');
    const ref = await ticketRefOf(db, ticket);
    return { kind: 'ticket', hallId: ticket.hall_id, ticketRef: ref, rooms: [ticketRoom(ref)] };
  }

  if (auth.token !== undefined) {
    const device = await deviceOfToken(db, auth.token);
    if (!device || !DEVICE_KINDS.includes(device.kind)) throw new HandshakeError('DEVICE_TOKEN_INVALID', 'The device token is unknown or revoked.');
    return scopeOf({ kind: 'device', device }, auth.hallId);
  }

  if (sessionCookie) {
    const found = await staffOfSessionCookie(db, sessionCookie, now, idleMs);
    if (found) {
      const pending = await setupPending(db, found.staff);
      if (pending) throw new HandshakeError(pending, 'Finish setting up the account (password, second factor) first.');
      return scopeOf({ kind: 'staff', ...found }, auth.hallId);
    }
  }
  throw new HandshakeError('UNAUTHENTICATED', 'Sign in, or connect with a device or ticket token.');
}
