import { useEffect, useState } from 'preact/hooks';
import type { z } from 'zod';
import type { AppointmentView, BookingInfo, SlotsAnswer } from '../protocol/appointments.js';
import { calendarDay, clockTime } from '../ui-shared/time.js';
import { api } from '../ui-shared/api.js';
import { type Key, nameOf, t, useLang } from '../ui-shared/i18n/index.js';
import { Field, Fields, useAction } from './config/shared.js';

type Day = z.infer<typeof SlotsAnswer>['days'][number];


/**
 * 预约 of a day: who booked which slot, from where, and what became of it; an operator enters
 * bookings taken by phone or at the hall (the code is shown once, to tell the citizen).
 */
export function Appointments({ hallId, timeZone, version }: { hallId: number; timeZone: string; version: number }) {
  useLang();
  const [day, setDay] = useState(() => calendarDay(Date.now(), timeZone));
  const [rows, setRows] = useState<AppointmentView[]>([]);
  const [services, setServices] = useState<z.infer<typeof BookingInfo>['services']>([]);
  const [slots, setSlots] = useState<Day | null>(null);
  const [form, setForm] = useState({ serviceId: '', slotStart: '', name: '', phone: '', source: 'phone' as 'phone' | 'onsite' });
  const load = () => api('GET /halls/:hallId/appointments', { hallId, day }).then(setRows);
  const { run, banner, fields } = useAction(load);
  const [code, setCode] = useState<string | null>(null);
  useEffect(() => void run(async () => undefined), [hallId, day, version]);
  useEffect(() => void api('GET /public/halls/:hallId/booking', { hallId }).then((info) => setServices(info.services)), [hallId]);
  useEffect(() => {
    setSlots(null);
    if (!form.serviceId) return;
    void api('GET /public/halls/:hallId/services/:serviceId/slots', { hallId, serviceId: Number(form.serviceId) })
      .then((answer) => setSlots(answer.days.find((d) => d.day === day) ?? { day, slots: [] }));
  }, [hallId, form.serviceId, day, version]);
  const serviceName = (id: number) => {
    const s = services.find((x) => x.serviceId === id);
    return s ? nameOf(s) : String(id);
  };

  return (
    <section class="panel appointments">
      <div class="range">
        <label class="field"><span>{t('mgr.appt.day')}</span><input type="date" value={day} data-testid="appt-day" onInput={(e) => setDay(e.currentTarget.value)} /></label>
      </div>
      <Fields errors={fields}>
        {banner}
        {code && <div class="notice-banner" role="status" data-testid="appt-code">{t('mgr.appt.booked', { code })}</div>}
        <h3>{t('mgr.appt.add')}</h3>
        <form class="cfg-form" onSubmit={(e) => {
          e.preventDefault();
          setCode(null);
          void run(async () => {
            const booked = await api('POST /halls/:hallId/appointments', { hallId }, {
              serviceId: Number(form.serviceId), slotStart: Number(form.slotStart), name: form.name, phone: form.phone, source: form.source,
            });
            setForm({ ...form, slotStart: '', name: '', phone: '' });
            // Said once, for the operator to tell the citizen (the list never shows codes).
            setCode(booked.code);
          });
        }}>
          <Field label={t('mgr.service')}>
            <select name="serviceId" value={form.serviceId} onChange={(e) => setForm({ ...form, serviceId: e.currentTarget.value, slotStart: '' })}>
              <option value="">—</option>
              {services.map((s) => <option key={s.serviceId} value={s.serviceId}>{nameOf(s)}</option>)}
            </select>
          </Field>
          <Field label={t('mgr.appt.slot')}>
            <select name="slotStart" value={form.slotStart} onChange={(e) => setForm({ ...form, slotStart: e.currentTarget.value })}>
              <option value="">—</option>
              {slots?.slots.map((s) => (
                <option key={s.start} value={s.start} disabled={s.left === 0}>{clockTime(s.start, timeZone)}–{clockTime(s.end, timeZone)} ({t('book.left', { n: s.left })})</option>
              ))}
            </select>
          </Field>
          <Field label={t('mgr.appt.name')}><input name="name" value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} /></Field>
          <Field label={t('mgr.appt.phone')}><input name="phone" type="tel" value={form.phone} onInput={(e) => setForm({ ...form, phone: e.currentTarget.value })} /></Field>
          <Field label={t('mgr.appt.source')}>
            <select name="source" value={form.source} onChange={(e) => setForm({ ...form, source: e.currentTarget.value as 'phone' | 'onsite' })}>
              <option value="phone">{t('source.phone')}</option>
              <option value="onsite">{t('source.onsite')}</option>
            </select>
          </Field>
          <button type="submit" class="primary">{t('mgr.cfg.add')}</button>
        </form>
      </Fields>
      {rows.length === 0 ? <p class="muted">{t('mgr.appt.none')}</p> : (
        <table data-testid="appointments">
          <thead><tr><th>{t('mgr.appt.slot')}</th><th>{t('mgr.service')}</th><th>{t('mgr.appt.name')}</th><th>{t('mgr.appt.phone')}</th><th>{t('mgr.appt.source')}</th><th>{t('mgr.appt.status')}</th><th /></tr></thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.id}>
                <td>{clockTime(a.slotStart, timeZone)}–{clockTime(a.slotEnd, timeZone)}</td>
                <td>{serviceName(a.serviceId)}</td>
                <td>{a.name}</td>
                <td>{a.phone}</td>
                <td>{t(`source.${a.source}` as Key)}</td>
                <td>{t(`book.status.${a.status}` as Key)}{a.late ? ` · ${t('mgr.appt.late')}` : ''}</td>
                <td>
                  {a.status === 'booked' && (
                    <button type="button" class="small" aria-label={`${t('mgr.appt.cancel')} ${a.name}`} onClick={() => void run(() => api('POST /halls/:hallId/appointments/:appointmentId/cancel', { hallId, appointmentId: a.id }))}>
                      {t('mgr.appt.cancel')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
