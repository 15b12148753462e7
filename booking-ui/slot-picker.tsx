import { useEffect, useState } from 'preact/hooks';
import { clockTime } from '../ui-shared/time.js';
import { api } from '../ui-shared/api.js';
import { nameOf, t } from '../ui-shared/i18n/index.js';
import { dayLabel } from './booked.js';
import type { Day, Service, Slot } from './types.js';

/**
 * A day and a slot of one service, with the places left as they are now (read again each time
 * the picker is shown: after a SLOT_FULL, the places as they are). The day chosen before stays
 * chosen; else the first day with a free place.
 */
export function SlotPicker({ hallId, service, timeZone, chosenDay, onBack, onPick, onError }: {
  hallId: number;
  service: Service;
  timeZone: string;
  chosenDay: string | null;
  onBack: () => void;
  onPick: (day: Day, slot: Slot) => void;
  onError: (err: unknown) => void;
}) {
  const [days, setDays] = useState<Day[] | null>(null);
  const [day, setDay] = useState<Day | null>(null);
  useEffect(() => void api('GET /public/halls/:hallId/services/:serviceId/slots', { hallId, serviceId: service.serviceId }).then((answer) => {
    setDays(answer.days);
    setDay(answer.days.find((d) => d.day === chosenDay) ?? answer.days.find((d) => d.slots.some((x) => x.left > 0)) ?? answer.days[0] ?? null);
  }, onError), [hallId, service.serviceId]);

  return (
    <section class="card">
      <button type="button" class="link-button" onClick={onBack}>← {t('book.back')}</button>
      <h2>{nameOf(service)}</h2>
      <h3 id="days-title">{t('book.chooseDay')}</h3>
      <div class="days" role="group" aria-labelledby="days-title">
        {(days ?? []).map((d) => {
          const free = d.slots.reduce((n, s) => n + s.left, 0);
          return (
            <button type="button" key={d.day} class={`day ${d === day ? 'on' : ''}`} aria-pressed={d === day} disabled={free === 0} data-testid={`day-${d.day}`} onClick={() => setDay(d)}>
              {dayLabel(d.day)}
              <small>{d.slots.length === 0 ? t('book.closedDay') : free === 0 ? t('book.fullDay') : t('book.left', { n: free })}</small>
            </button>
          );
        })}
      </div>
      {day && (
        <>
          <h3 id="slots-title">{t('book.chooseSlot')}</h3>
          {day.slots.length === 0 && <p>{t('book.noSlots')}</p>}
          <div class="slots" role="group" aria-labelledby="slots-title">
            {day.slots.map((s) => (
              <button type="button" key={s.start} class="slot" disabled={s.left === 0} data-testid={`slot-${clockTime(s.start, timeZone)}`} onClick={() => onPick(day, s)}>
                {clockTime(s.start, timeZone)}–{clockTime(s.end, timeZone)}
                <small>{s.left === 0 ? t('book.full') : t('book.left', { n: s.left })}</small>
              </button>
            ))}
          </div>
        </>
      )}
    </section>
  );
}
