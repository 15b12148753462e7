import type { Channel, StaffRole } from '../../protocol/enums.js';
import { maskContact } from '../../protocol/masking.js';
import type { CaseRow, DeviceRow, EvaluationRow, SessionRow, StaffRow, TicketRow, TransitionRow } from '../db/schema.js';

/**
 * Who may do and see what, stated once: the HTTP routes (`plugins/auth.ts`, the feature routes)
 * and the socket handshake (`realtime/access.ts`) call these same functions.
 */

/** Managers and admins: the whole hall, full contacts, every rating and case. */
export const MANAGER_ROLES: readonly StaffRole[] = ['admin', 'manager'];
export function isManager(role: StaffRole): boolean {
  return MANAGER_ROLES.includes(role);
}

type Who = { kind: 'staff'; staff: StaffRow } | { kind: 'device'; device: DeviceRow };

/** The hall a staff member or device belongs to; null for an admin, who may act in every hall. */
export function homeHall(who: Who): number | null {
  return who.kind === 'staff' ? who.staff.hall_id : who.device.hall_id;
}

/** Whether someone whose home hall is `home` may act in (or follow) hall `hallId`. */
export function mayEnterHall(home: number | null, hallId: number): boolean {
  return home === null || home === hallId;
}

/**
 * A clerk acts only on the window they signed in to; managers and admins may act on any window
 * of their hall (they stand in when a clerk's terminal fails).
 */
export function mayActOnWindow(staff: StaffRow, session: SessionRow, windowId: number): boolean {
  return isManager(staff.role) || session.window_id === windowId;
}

/** Managers and admins follow the whole hall (every window's events, staff-only details). */
export function seesWholeHall(role: StaffRole): boolean {
  return isManager(role);
}

/**
 * A ticket's personal details (the 绿色通道 reason, the helper's note, the 补正 list, the 不予受理
 * reason): managers, the clerk at whose window it is now, and a clerk who served it at theirs.
 * Helpers, other clerks and devices see the ticket without them.
 */
export function seesTicketPrivate(
  staff: StaffRow, session: SessionRow, ticket: Pick<TicketRow, 'window_id'>, transitions: Pick<TransitionRow, 'staff_id' | 'window_id'>[],
): boolean {
  if (isManager(staff.role)) return true;
  if (staff.role !== 'clerk') return false;
  if (ticket.window_id !== null && ticket.window_id === session.window_id) return true;
  return transitions.some((t) => t.staff_id === staff.id && t.window_id !== null);
}

/** Channels a ticket may be issued on: a kiosk issues for itself, staff as 帮办 or for a phone booking. */
export function issuingChannels(kind: Who['kind']): readonly Channel[] {
  return kind === 'device' ? ['kiosk'] : ['helper', 'mobile'];
}

/* ---- 好差评 ---- */

/** Who sees a citizen's call-back number in full: managers and admins (clerks see it masked). */
export function seesFullContact(role: StaffRole): boolean {
  return isManager(role);
}

/** The contact as a viewer may see it. */
export function contactFor(viewer: { fullContact: boolean }, contact: string | null): string | null {
  return contact === null ? null : viewer.fullContact ? contact : maskContact(contact);
}

/** A clerk sees the ratings of their own service only; managers see all. */
export function seesAllRatings(role: StaffRole): boolean {
  return isManager(role);
}

/** 申诉: the clerk who served, or a manager for them. */
export function mayAppeal(staff: StaffRow, rating: Pick<EvaluationRow, 'staff_id'>): boolean {
  return isManager(staff.role) || rating.staff_id === staff.id;
}

/** A clerk sees the cases they own or that concern their service; managers see all. */
export function maySeeCase(staff: StaffRow, c: { ownerStaffId: number | null }, subject: { staffId: number | null }): boolean {
  return isManager(staff.role) || c.ownerStaffId === staff.id || subject.staffId === staff.id;
}

/** Only the case owner or a manager moves a case on. */
export function mayMoveCase(staff: Pick<StaffRow, 'id' | 'role'>, c: Pick<CaseRow, 'owner_staff_id'>): boolean {
  return isManager(staff.role) || c.owner_staff_id === staff.id;
}
