import { z } from 'zod';
import { Id } from './common.js';
import { WindowKind, WindowState } from './enums.js';
import { PauseReason } from './windows.js';

/**
 * What the screen above one window shows (窗口屏): the window and what it handles, the citizen
 * called or being served, its state, and the staff member on duty as halls publish them
 * (工作人员公示: name, 工号, photo, this month's 好评率).
 */
export const WindowScreenView = z.object({
  window: z.object({
    id: Id, number: z.string(), kind: WindowKind, state: WindowState, pauseReason: PauseReason.nullable(),
    /** Every service for a comprehensive window, else its tiers' services in order. */
    services: z.array(z.object({ prefix: z.string(), nameZh: z.string(), nameEn: z.string() })),
  }),
  current: z.object({ displayNumber: z.string(), status: z.enum(['called', 'serving']) }).nullable(),
  staff: z.object({
    id: Id, name: z.string(), staffNumber: z.string().nullable(), hasPhoto: z.boolean(),
    /** 好评率 of this calendar month so far (%), null before the first rating; voided ratings left out. */
    goodRate: z.number().nullable(),
    rated: z.number().int(),
  }).nullable(),
});
export type WindowScreenView = z.infer<typeof WindowScreenView>;
