import { z } from 'zod';
import { EpochMs, Id, ShortText } from './common.js';
import { DeviceKind } from './enums.js';
import { HallView } from './halls.js';

export const DeviceView = z.object({
  id: Id,
  hallId: Id,
  kind: DeviceKind,
  name: z.string(),
  windowId: Id.nullable(),
  createdAt: EpochMs,
  revokedAt: EpochMs.nullable(),
  lastSeenAt: EpochMs.nullable(),
  /** What a display last reported about its sound; null until it has. */
  sound: z.object({ allowed: z.boolean(), chineseVoice: z.boolean(), at: EpochMs }).nullable(),
});
export type DeviceView = z.infer<typeof DeviceView>;

/** A display says whether it may play sound without a tap and whether it has a Chinese voice. */
export const DeviceSoundBody = z.object({ allowed: z.boolean(), chineseVoice: z.boolean() }).strict();

export const CreateDeviceBody = z.object({
  kind: DeviceKind,
  name: ShortText(60),
  windowId: Id.nullable().default(null),
});
export type CreateDeviceBody = z.infer<typeof CreateDeviceBody>;

/** What a device learns about itself when its page starts. */
export const DeviceSelf = z.object({ device: DeviceView, hall: HallView, windowNumber: z.string().nullable() });
export type DeviceSelf = z.infer<typeof DeviceSelf>;

/** The secret token is shown once, when the device is created. */
export const DeviceWithToken = z.object({ device: DeviceView, token: z.string() });
