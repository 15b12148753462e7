import { z } from 'zod';
import { deviceKinds } from './constants.js';

export const ticketStatuses = [
  'waiting',
  'called',
  'serving',
  'on_hold',
  'done',
  'no_show',
  'transferred',
  'cancelled',
  'expired',
] as const;
export const TicketStatus = z.enum(ticketStatuses);
export type TicketStatus = z.infer<typeof TicketStatus>;

/** How the number was taken; `online`: 在线排队 from the citizen's phone, before they are in the hall. */
export const Channel = z.enum(['kiosk', 'helper', 'appointment', 'mobile', 'online']);
export type Channel = z.infer<typeof Channel>;

export const PriorityClass = z.enum(['normal', 'priority', 'appointment']);
export type PriorityClass = z.infer<typeof PriorityClass>;

export const WindowKind = z.enum(['comprehensive', 'domain', 'special']);
export type WindowKind = z.infer<typeof WindowKind>;

/** 专窗 purposes: 适老/绿色通道, 一件事, 跨省通办, 办不成事反映. */
export const SpecialPurpose = z.enum(['green_channel', 'one_thing', 'cross_province', 'complaint']);
export type SpecialPurpose = z.infer<typeof SpecialPurpose>;

export const WindowState = z.enum(['closed', 'open', 'paused']);
export type WindowState = z.infer<typeof WindowState>;

/** 帮办/导办 helpers issue numbers and check in bookings for citizens at a tablet; they call no one. */
export const StaffRole = z.enum(['admin', 'manager', 'clerk', 'helper']);
export type StaffRole = z.infer<typeof StaffRole>;

export const DeviceKind = z.enum(deviceKinds);
export type DeviceKind = z.infer<typeof DeviceKind>;
