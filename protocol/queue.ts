import { z } from 'zod';
import { EpochMs, Id } from './common.js';
import { SpecialPurpose, WindowKind, WindowState } from './enums.js';
import { TicketView, WaitEstimate } from './tickets.js';
import { PauseReason } from './windows.js';

export const ServiceQueue = z.object({
  serviceId: Id,
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  prefix: z.string(),
  active: z.boolean(),
  waiting: z.number().int(),
  issuedToday: z.number().int(),
  dailyQuota: z.number().int().nullable(),
  longestWaitMs: z.number().int().nullable(),
  estimate: WaitEstimate,
  /** Numbers can be taken now: within the hall's hours, or a duty window's that serves it, and before the service's cut-off. */
  issuing: z.boolean(),
  /** When numbers can be taken again (epoch ms), while not issuing. */
  nextOpening: EpochMs.nullable(),
  /** 请携带: the materials to bring (办事指南), printed on the slip and checked at the window. */
  materials: z.array(z.string()),
});
export type ServiceQueue = z.infer<typeof ServiceQueue>;


export const WindowSnapshot = z.object({
  windowId: Id,
  number: z.string(),
  kind: WindowKind,
  specialPurpose: SpecialPurpose.nullable(),
  state: WindowState,
  /** While paused: why (PauseReason) and since when; shown on the live view and the display. */
  pauseReason: PauseReason.nullable(),
  pausedAt: EpochMs.nullable(),
  staffName: z.string().nullable(),
  /** 授权事项 of the clerk at this window: the services they may handle; null when not restricted (or nobody is there). */
  staffSkills: z.array(Id).nullable(),
  current: TicketView.nullable(),
  held: z.array(TicketView),
});

export const QueueSnapshot = z.object({
  hallId: Id,
  businessDay: z.string(),
  /** The hall's event seq this snapshot reflects: a realtime client continues after it. */
  lastSeq: z.number().int(),
  at: EpochMs,
  /** The hall's hours (holidays included): whether it takes numbers now, and when it opens next. */
  issuing: z.object({
    open: z.boolean(),
    nextOpening: EpochMs.nullable(),
    /**
     * Open outside the hall's own hours, through 值班窗口 only: their numbers, and when the hall's
     * hours begin again (null when not today). Only the services they serve take numbers then.
     */
    duty: z.object({ windows: z.array(z.string()), mainOpening: EpochMs.nullable() }).nullable(),
  }),
  services: z.array(ServiceQueue),
  windows: z.array(WindowSnapshot),
});
export type QueueSnapshot = z.infer<typeof QueueSnapshot>;
