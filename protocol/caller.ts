import { z } from 'zod';
import { Id } from './common.js';
import { callerKeys } from './constants.js';
import { WindowState } from './enums.js';
import { PauseReason } from './windows.js';

/**
 * The 呼叫器 contract: a keypad (or its vendor's gateway, or the /caller page) sends one key with
 * its device token; the answer is what its two-line display shows. A key acts for the clerk signed
 * in at the keypad's window, exactly as that clerk's counter page would.
 */
export const CallerKey = z.enum(callerKeys);
export type CallerKey = z.infer<typeof CallerKey>;

export const CallerKeyBody = z.object({
  key: CallerKey,
  /** 转移: the window to send the current citizen to, by its number as typed on the keypad. */
  windowNumber: z.string().trim().min(1).max(10).optional(),
  /** 转移: or the service to queue them for. */
  serviceId: Id.optional(),
  /** 暂停: why (临时离开 when absent); a second 暂停 resumes. */
  reason: PauseReason.optional(),
}).strict();
export type CallerKeyBody = z.infer<typeof CallerKeyBody>;

export const CallerAnswer = z.object({
  window: z.object({ id: Id, number: z.string(), state: WindowState, staffName: z.string().nullable() }),
  /** The citizen at the window: called (请…号) or being served. */
  current: z.object({ displayNumber: z.string(), status: z.enum(['called', 'serving']) }).nullable(),
  /** Citizens waiting for what this window serves. */
  waiting: z.number().int(),
  /** The two lines of the keypad's display (each at most 16 characters). */
  lines: z.tuple([z.string(), z.string()]),
});
export type CallerAnswer = z.infer<typeof CallerAnswer>;

/**
 * LED strips: a controller polls plain text. `lines` calls (the newest first), in UTF-8 or, for
 * the many controllers that want it, GBK (`gb2312` is answered in GBK, its superset). The device
 * token goes in the Authorization header, or `token=` for controllers that can only poll a URL.
 */
export const LedQuery = z.object({
  lines: z.coerce.number().int().min(1).max(20).default(1),
  charset: z.enum(['utf-8', 'gbk', 'gb2312']).default('utf-8'),
  /** A hall-wide strip: only the calls of this display zone (by its name). */
  zone: z.string().trim().min(1).max(40).optional(),
  token: z.string().optional(),
});
export type LedQuery = z.infer<typeof LedQuery>;
