import { useEffect, useState } from 'preact/hooks';
import type { CalendarEntry, CalendarYear } from '../../protocol/calendar.js';
import { api } from '../../ui-shared/api.js';
import { Field, Fields, useAction } from './shared.js';
import { t } from '../../ui-shared/i18n/index.js';

/** 法定节假日 and 调休 for a year, imported as the published list (one day per line). */
export function Calendar({ hallId, businessDay }: { hallId: number; businessDay: string }) {
  const [year, setYear] = useState(Number(businessDay.slice(0, 4)));
  const [text, setText] = useState('');
  const [inherited, setInherited] = useState<CalendarYear['inherited']>([]);
  // The list is editable once the year's stored list has arrived: a late answer never overwrites typing.
  const [loadedYear, setLoadedYear] = useState<number | null>(null);
  const load = async () => {
    const r = await api('GET /halls/:hallId/calendar/:year', { hallId, year });
    setText(r.days.map((d) => [d.day, d.kind, d.name, d.hoursOfWeekday ?? ''].join(' ').trim()).join('\n'));
    setInherited(r.inherited);
    setLoadedYear(year);
  };
  const ready = loadedYear === year;
  const { run, banner, fields } = useAction(load);
  useEffect(() => void run(async () => undefined), [hallId, year]);
  return (
    <Fields errors={fields}>
      {banner}
      <form class="cfg-form calendar" onSubmit={(e) => {
        e.preventDefault();
        const days = text.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
          const [day = '', kind = '', name = '', weekday] = l.split(/\s+/);
          // Typed text goes as written: the server checks it and names the line that is wrong.
          return { day, kind: kind as CalendarEntry['kind'], name, hoursOfWeekday: weekday ? Number(weekday) : null };
        });
        void run(() => api('PUT /halls/:hallId/calendar/:year', { hallId, year }, { days }), t('mgr.cfg.calendarSaved'));
      }}>
        <Field label={t('mgr.cfg.year')}><input name="year" type="number" min="2000" max="2099" value={year} onInput={(e) => setYear(Number(e.currentTarget.value))} /></Field>
        <p class="hint" id="calendar-hint">{t('mgr.cfg.calendarHint')}</p>
        <Field label={t('mgr.cfg.calendar')}><textarea name="calendar" rows={14} aria-describedby="calendar-hint" disabled={!ready} value={text} onInput={(e) => setText(e.currentTarget.value)} placeholder={`${year}-10-01 holiday 国庆节\n${year}-10-11 workday 国庆调休 1`} /></Field>
        <button type="submit" class="primary" disabled={!ready}>{t('mgr.cfg.save')}</button>
      </form>
      {inherited.length > 0 && (
        <section class="inherited" data-testid="calendar-inherited">
          <h4>{t('mgr.cfg.inherited')}</h4>
          <p class="muted">{t('mgr.cfg.inheritedHint')}</p>
          <table>
            <thead><tr><th>{t('mgr.cfg.day')}</th><th>{t('mgr.cfg.dayKind')}</th><th>{t('mgr.cfg.dayName')}</th><th>{t('mgr.cfg.setBy')}</th></tr></thead>
            <tbody>
              {inherited.map((d) => (
                <tr key={d.day}><td>{d.day}</td><td>{t(d.kind === 'holiday' ? 'mgr.cfg.holiday' : 'mgr.cfg.workday')}</td><td>{d.name}</td><td>{d.hallName}</td></tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </Fields>
  );
}
