import { z } from 'zod';
import { CalendarDay, HallParams, Id, ShortText } from './common.js';

/** One exception to the weekly hours: a public holiday (closed) or a make-up working day (调休). */
export const CalendarEntry = z.object({
  day: CalendarDay,
  kind: z.enum(['holiday', 'workday']),
  name: ShortText(40),
  /** A make-up working day keeps the hours of this weekday (1 = Monday … 5 = Friday); Monday when absent. */
  hoursOfWeekday: z.number().int().min(1).max(7).nullable().default(null),
});
export type CalendarEntry = z.infer<typeof CalendarEntry>;

export const YearParams = HallParams.extend({ year: z.string().regex(/^20\d\d$/, 'a year 2000–2099').transform(Number) });

/** The whole list for one year, as the State Council publishes it: replaces what was there. */
export const CalendarYearBody = z
  .object({ days: z.array(CalendarEntry).max(366) })
  .superRefine((body, ctx) => {
    const seen = new Set<string>();
    body.days.forEach((d, i) => {
      if (seen.has(d.day)) ctx.addIssue({ code: 'custom', path: ['days', i, 'day'], message: 'listed twice' });
      seen.add(d.day);
      if (d.kind === 'holiday' && d.hoursOfWeekday !== null) ctx.addIssue({ code: 'custom', path: ['days', i, 'hoursOfWeekday'], message: 'only make-up working days have hours' });
    });
  });

export const CalendarYear = z.object({
  year: z.number().int(),
  /** The hall's own days (what PUT replaces). */
  days: z.array(CalendarEntry),
  /** Days set by a hall above (the district's public holidays) that apply here, with the hall that set them. */
  inherited: z.array(CalendarEntry.extend({ hallId: Id, hallName: z.string() })),
});
export type CalendarYear = z.infer<typeof CalendarYear>;
