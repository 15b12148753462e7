import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import QRCode from 'qrcode';
import type { z } from 'zod';
import type { BookingInfo, PublicAppointment, PublicHall, SlotsAnswer } from '../protocol/appointments.js';
import { maskContact } from '../protocol/masking.js';
import { clockTime } from '../ui-shared/time.js';
import { api, ApiError } from '../ui-shared/api.js';
import { LangSwitch } from '../ui-shared/components.js';
import { errorText, failedFields } from '../ui-shared/errors.js';
import { lang, nameOf, t, useLang } from '../ui-shared/i18n/index.js';
import '../ui-shared/base.css';
import './booking.css';

type Info = z.infer<typeof BookingInfo>;
type Service = Info['services'][number];
type Day = z.infer<typeof SlotsAnswer>['days'][number];
type Slot = Day['slots'][number];

function dayLabel(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return d.toLocaleDateString(lang() === 'zh' ? 'zh-CN' : 'en-GB', { month: 'short', day: 'numeric', weekday: 'short', timeZone: 'UTC' });
}
/** The check-in code as the QR carries it: this page's address, so a phone camera opens the booking too. */
const codeUrl = (code: string) => `${location.origin}/book#code=${code}`;

function Booked({ code, appointment, timeZone, onCancelled }: { code: string; appointment: PublicAppointment; timeZone: string; onCancelled: (a: PublicAppointment) => void }) {
  const [qr, setQr] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void QRCode.toString(codeUrl(code), { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then(setQr), [code]);
  async function cancel() {
    if (!confirm(t('book.cancelConfirm'))) return;
    try {
      onCancelled(await api('POST /public/appointments/:code/cancel', { code }));
    } catch (err) {
      setError(errorText(err));
    }
  }
  const a = appointment;
  return (
    <section class="card booked" data-testid="booked">
      <div class={`pill ${a.status}`} data-testid="booking-status">{t(`book.status.${a.status}`)}</div>
      {a.status === 'booked' && !a.confirmed && <div class="pill unconfirmed" data-testid="booking-unconfirmed">{t('book.unconfirmed')}</div>}
      <h2>{nameOf({ nameZh: a.serviceNameZh, nameEn: a.serviceNameEn })}</h2>
      <p class="when">{t('book.when', { day: dayLabel(a.day), from: clockTime(a.slotStart, timeZone), to: clockTime(a.slotEnd, timeZone) })}</p>
      <p class="who">{a.hallName} · {a.name} · {a.phone}</p>
      {a.status === 'booked' && (
        <>
          <div class="code-label">{t('book.code')}</div>
          <div class="code" data-testid="code">{code.replace(/(\d{4})(\d{4})/, '$1 $2')}</div>
          {qr && <div class="qr" role="img" aria-label={t('book.code')} dangerouslySetInnerHTML={{ __html: qr }} />}
          <p class="how" data-testid="how">{t('book.howTo', { from: clockTime(a.priorityFrom, timeZone), until: clockTime(a.priorityUntil, timeZone) })}</p>
          <p class="how">{t('book.keepCode')}</p>
          <button type="button" class="link-button" data-testid="cancel-booking" onClick={() => void cancel()}>{t('book.cancel')}</button>
        </>
      )}
      {a.ticketNumber && <p class="ticket">{t('book.ticket', { number: a.ticketNumber })}</p>}
      {error && <div class="error-banner" role="alert">{error}</div>}
    </section>
  );
}

function Lookup({ timeZone, initial }: { timeZone: string; initial: string }) {
  const [code, setCode] = useState(initial);
  const [found, setFound] = useState<{ code: string; appointment: PublicAppointment } | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function find(value: string) {
    setError(null);
    setFound(null);
    try {
      setFound({ code: value, appointment: await api('GET /public/appointments/:code', { code: value }) });
    } catch (err) {
      setError(errorText(err));
    }
  }
  useEffect(() => void (initial && find(initial)), [initial]);
  return (
    <section class="card">
      <h2>{t('book.lookup')}</h2>
      <form class="lookup" onSubmit={(e) => {
        e.preventDefault();
        void find(code.replace(/\s/g, ''));
      }}>
        <label class="field">
          <span>{t('book.code')}</span>
          <input name="code" inputMode="numeric" autoComplete="off" maxLength={9} value={code} onInput={(e) => setCode(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary">{t('book.lookupSubmit')}</button>
      </form>
      {error && <div class="error-banner" role="alert">{error}</div>}
      {found && <Booked code={found.code} appointment={found.appointment} timeZone={timeZone} onCancelled={(a) => setFound({ ...found, appointment: a })} />}
    </section>
  );
}

function Booking() {
  useLang();
  const params = new URLSearchParams(location.search);
  const codeInHash = /code=(\d{8})/.exec(location.hash)?.[1] ?? '';
  const [halls, setHalls] = useState<z.infer<typeof PublicHall>[] | null>(null);
  const [hallId, setHallId] = useState<number | null>(Number(params.get('hall')) || null);
  const [info, setInfo] = useState<Info | null>(null);
  const [service, setService] = useState<Service | null>(null);
  const [days, setDays] = useState<Day[] | null>(null);
  const [day, setDay] = useState<Day | null>(null);
  const [slot, setSlot] = useState<Slot | null>(null);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [codeSent, setCodeSent] = useState<{ phone: string; resendAfter: number } | null>(null);
  const [now, setNow] = useState(Date.now());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<string[]>([]);
  const [booked, setBooked] = useState<{ code: string; appointment: PublicAppointment } | null>(null);
  const [lookup, setLookup] = useState(codeInHash !== '');

  const fail = (err: unknown) => {
    setError(errorText(err));
    setFields(err instanceof ApiError ? failedFields(err).map((f) => f.split('.').pop()!) : []);
  };
  useEffect(() => void api('GET /public/halls').then((list) => {
    setHalls(list);
    if (hallId === null && list.length === 1) setHallId(list[0]!.id);
  }, fail), []);
  useEffect(() => {
    if (hallId === null) return;
    void api('GET /public/halls/:hallId/booking', { hallId }).then(setInfo, fail);
  }, [hallId]);
  const loadSlots = (s: Service) => api('GET /public/halls/:hallId/services/:serviceId/slots', { hallId: hallId!, serviceId: s.serviceId }).then((answer) => {
    setDays(answer.days);
    // Keep the chosen day (with fresh places), else the first day that has a free place.
    setDay((current) => answer.days.find((d) => d.day === current?.day) ?? answer.days.find((d) => d.slots.some((x) => x.left > 0)) ?? answer.days[0] ?? null);
  }, fail);
  useEffect(() => {
    if (service) void loadSlots(service);
  }, [service]);

  // The resend countdown: the server says when another code may be asked for.
  useEffect(() => {
    if (!codeSent || codeSent.resendAfter <= Date.now()) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [codeSent]);
  const resendIn = codeSent ? Math.max(0, Math.ceil((codeSent.resendAfter - now) / 1000)) : 0;

  async function sendCode() {
    if (!info) return;
    setError(null);
    setFields([]);
    try {
      const sent = await api('POST /public/halls/:hallId/phone-codes', { hallId: info.hall.id }, { phone });
      // Counted down on this phone's clock (it may differ from the server's): the wait is
      // resendAfter minus the moment it was sent, and expiresAt is 10 minutes after that moment.
      setCodeSent({ phone, resendAfter: Date.now() + (sent.resendAfter - sent.expiresAt + 10 * 60_000) });
      setNow(Date.now());
    } catch (err) {
      fail(err);
    }
  }

  async function submit() {
    if (!info || !service || !slot) return;
    setBusy(true);
    setError(null);
    setFields([]);
    try {
      const body = { serviceId: service.serviceId, slotStart: slot.start, name, phone, ...(info.verification === 'sms' ? { code } : {}) };
      setBooked(await api('POST /public/halls/:hallId/appointments', { hallId: info.hall.id }, body));
    } catch (err) {
      fail(err);
      // The slot may have filled meanwhile: show the places as they are now.
      if (err instanceof ApiError && err.code === 'SLOT_FULL') {
        setSlot(null);
        void loadSlots(service);
      }
    } finally {
      setBusy(false);
    }
  }
  const restart = () => {
    setBooked(null);
    setService(null);
    setSlot(null);
    setDays(null);
    setDay(null);
    setError(null);
  };

  const timeZone = info?.hall.timezone ?? 'Asia/Shanghai';
  const invalid = (f: string) => (fields.includes(f) ? { 'aria-invalid': 'true' as const, 'aria-describedby': 'booking-error' } : {});
  let body;
  if (lookup) {
    body = <Lookup timeZone={timeZone} initial={codeInHash} />;
  } else if (booked) {
    body = (
      <>
        <h1 class="done">{t('book.done')}</h1>
        <Booked code={booked.code} appointment={booked.appointment} timeZone={timeZone} onCancelled={(a) => setBooked({ ...booked, appointment: a })} />
        <button type="button" class="link-button light" onClick={restart}>{t('book.newBooking')}</button>
      </>
    );
  } else if (hallId === null) {
    body = (
      <section class="card">
        <h2>{t('book.chooseHall')}</h2>
        <div class="choices">
          {(halls ?? []).map((h) => <button type="button" key={h.id} class="choice" onClick={() => setHallId(h.id)}>{h.name}</button>)}
        </div>
      </section>
    );
  } else if (info?.verification === 'staff_only') {
    body = <section class="card"><p data-testid="staff-only">{t('book.staffOnly')}</p></section>;
  } else if (!service) {
    body = (
      <section class="card">
        <h2>{t('book.chooseService')}</h2>
        {info && info.services.length === 0 && <p>{t('book.noServices')}</p>}
        <div class="choices">
          {info?.services.map((s) => (
            <button type="button" key={s.serviceId} class="choice" data-testid={`book-service-${s.serviceId}`} onClick={() => setService(s)}>
              <b>{s.prefix}</b> {nameOf(s)}
            </button>
          ))}
        </div>
      </section>
    );
  } else if (!slot) {
    body = (
      <section class="card">
        <button type="button" class="link-button" onClick={() => setService(null)}>← {t('book.back')}</button>
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
                <button type="button" key={s.start} class="slot" disabled={s.left === 0} data-testid={`slot-${clockTime(s.start, timeZone)}`} onClick={() => setSlot(s)}>
                  {clockTime(s.start, timeZone)}–{clockTime(s.end, timeZone)}
                  <small>{s.left === 0 ? t('book.full') : t('book.left', { n: s.left })}</small>
                </button>
              ))}
            </div>
          </>
        )}
      </section>
    );
  } else {
    body = (
      <section class="card">
        <button type="button" class="link-button" onClick={() => setSlot(null)}>← {t('book.back')}</button>
        <h2>{nameOf(service)}</h2>
        <p class="when" data-testid="chosen-slot">{t('book.when', { day: dayLabel(day!.day), from: clockTime(slot.start, timeZone), to: clockTime(slot.end, timeZone) })}</p>
        <h3>{t('book.yourDetails')}</h3>
        <form class="details" onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}>
          <label class="field">
            <span>{t('book.name')}</span>
            <input name="name" autoComplete="name" required maxLength={40} value={name} onInput={(e) => setName(e.currentTarget.value)} {...invalid('name')} />
          </label>
          <label class="field">
            <span>{t('book.phone')}</span>
            <input name="phone" type="tel" inputMode="numeric" autoComplete="tel" required maxLength={11} value={phone} onInput={(e) => setPhone(e.currentTarget.value)} aria-describedby="phone-hint" {...invalid('phone')} />
            <small id="phone-hint">{t('book.phoneHint')}</small>
          </label>
          {info?.verification === 'sms' && (
            <div class="field verify">
              <label for="verify-code">{t('book.verifyCode')}</label>
              <div class="verify-row">
                <input id="verify-code" name="code" inputMode="numeric" autoComplete="one-time-code" required maxLength={6} pattern="[0-9]{6}" value={code}
                  onInput={(e) => setCode(e.currentTarget.value.replace(/\D/g, ''))} aria-describedby="code-hint" {...invalid('code')} />
                <button type="button" class="secondary" data-testid="send-code" disabled={!/^1[3-9]\d{9}$/.test(phone) || resendIn > 0} onClick={() => void sendCode()}>
                  {resendIn > 0 ? t('book.resendIn', { s: resendIn }) : t('book.sendCode')}
                </button>
              </div>
              <small id="code-hint" role="status">{codeSent ? t('book.codeSent', { phone: maskContact(codeSent.phone) }) : ''}</small>
            </div>
          )}
          {info?.verification === 'unconfirmed' && <p class="hint" data-testid="unconfirmed-hint">{t('book.unconfirmedHint')}</p>}
          <button type="submit" class="primary big" disabled={busy}>{t('book.submit')}</button>
        </form>
      </section>
    );
  }

  return (
    <main class="booking">
      <header>
        <h1>{info?.hall.name ?? t('book.title')}</h1>
        <LangSwitch />
      </header>
      {error && <div class="error-banner" role="alert" id="booking-error" data-testid="booking-error">{error}</div>}
      {body}
      <nav class="foot">
        <button type="button" class="link-button light" data-testid="lookup" onClick={() => setLookup(!lookup)}>{lookup ? t('book.newBooking') : t('book.lookup')}</button>
      </nav>
    </main>
  );
}

render(<Booking />, document.getElementById('app')!);
