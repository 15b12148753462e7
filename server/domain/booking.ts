import type { OpeningHours } from '../../protocol/halls.js';
import type { PriorityClass } from '../../protocol/enums.js';
import { type Exceptions, type Interval, intervalsOn } from './calendar.js';

/**
 * 预约 slots of one service on one day: each opening interval (错时/延时 hours included, holidays
 * and 调休 days applied) cut into slots of `slotMinutes`, a slot only where it fits before the
 * interval closes, and none starting inside the service's cut-off before the day's last closing.
 * Pure: the caller loads the exceptions.
 */
export function slotsOn(day: string, hours: OpeningHours, exceptions: Exceptions, timeZone: string, slotMinutes: number, cutoffMinutes: number): Interval[] {
  const intervals = intervalsOn(day, hours, exceptions, timeZone);
  if (intervals.length === 0) return [];
  const step = slotMinutes * 60_000;
  const lastStart = intervals.at(-1)!.end - cutoffMinutes * 60_000;
  const slots: Interval[] = [];
  for (const { start, end } of intervals) {
    for (let at = start; at + step <= end && at < lastStart; at += step) slots.push({ start: at, end: at + step });
  }
  return slots;
}

export interface CheckInRule {
  earlyMinutes: number;
  lateMinutes: number;
}

export interface CheckInClass {
  priorityClass: PriorityClass;
  /** The window in which the ticket is called ahead (routing honours it); null for a late arrival. */
  appointmentStart: number | null;
  appointmentEnd: number | null;
  late: boolean;
}

/** When a checked-in booking is called ahead: from `earlyMinutes` before the slot to `lateMinutes` after its start. */
export function priorityWindow(slotStart: number, rule: CheckInRule): Interval {
  return { start: slotStart - rule.earlyMinutes * 60_000, end: slotStart + rule.lateMinutes * 60_000 };
}

/**
 * What a check-in becomes: an appointment ticket, called ahead inside its priority window (one
 * who comes early waits as normal until then); after that window a late arrival is a normal ticket.
 */
export function checkInClass(now: number, slotStart: number, rule: CheckInRule): CheckInClass {
  const { start, end } = priorityWindow(slotStart, rule);
  if (now > end) return { priorityClass: 'normal', appointmentStart: null, appointmentEnd: null, late: true };
  return { priorityClass: 'appointment', appointmentStart: start, appointmentEnd: end, late: false };
}
