import type { z } from 'zod';
import type { BookingInfo, SlotsAnswer } from '../protocol/appointments.js';

export type Info = z.infer<typeof BookingInfo>;
export type Service = Info['services'][number];
export type Day = z.infer<typeof SlotsAnswer>['days'][number];
export type Slot = Day['slots'][number];
/** A refusal shown in the page's banner, and the form fields it names. */
export interface Problem {
  message: string;
  fields: string[];
}
