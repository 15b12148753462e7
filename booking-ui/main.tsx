import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { PublicAppointment, PublicHall } from '../protocol/appointments.js';
import { api, ApiError } from '../ui-shared/api.js';
import { LangSwitch } from '../ui-shared/components.js';
import { errorText, failedFields } from '../ui-shared/errors.js';
import { nameOf, t, useLang } from '../ui-shared/i18n/index.js';
import { Booked, Lookup } from './booked.js';
import { DetailsForm, type Draft, emptyDraft } from './details-form.js';
import { SlotPicker } from './slot-picker.js';
import { QueueChoice, QueueForm } from './queue-form.js';
import type { OnlineQueueInfo } from '../protocol/online.js';
import { rememberOnline } from '../ui-shared/online-tickets.js';
import type { Day, Info, Problem, Service, Slot } from './types.js';
import '../ui-shared/base.css';
import './booking.css';

/** 选择大厅: every hall that takes bookings; with only one, it is chosen at once. */
function HallChoice({ onPick, onError }: { onPick: (hallId: number) => void; onError: (err: unknown) => void }) {
  const [halls, setHalls] = useState<PublicHall[] | null>(null);
  useEffect(() => void api('GET /public/halls').then((list) => {
    setHalls(list);
    if (list.length === 1) onPick(list[0]!.id);
  }, onError), []);
  return (
    <section class="card">
      <h2>{t('book.chooseHall')}</h2>
      <div class="choices">
        {(halls ?? []).map((h) => <button type="button" key={h.id} class="choice" onClick={() => onPick(h.id)}>{h.name}</button>)}
      </div>
    </section>
  );
}

/** The booking steps: hall → service → day and slot → details → the code; or 查询 by code. */
function Booking() {
  useLang();
  const params = new URLSearchParams(location.search);
  const codeInHash = /code=(\d{8})/.exec(location.hash)?.[1] ?? '';
  const [hallId, setHallId] = useState<number | null>(Number(params.get('hall')) || null);
  const [info, setInfo] = useState<Info | null>(null);
  const [service, setService] = useState<Service | null>(null);
  const [chosen, setChosen] = useState<{ day: Day; slot: Slot | null } | null>(null);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [booked, setBooked] = useState<{ code: string; appointment: PublicAppointment } | null>(null);
  const [lookup, setLookup] = useState(codeInHash !== '');
  /** 现在排队: the services that give today's numbers online, and the one chosen. */
  const [queue, setQueue] = useState<OnlineQueueInfo | null>(null);
  const [queueService, setQueueService] = useState<OnlineQueueInfo['services'][number] | null>(null);

  const fail = (err: unknown) => setProblem(err === null ? null : {
    message: errorText(err),
    fields: err instanceof ApiError ? failedFields(err).map((f) => f.split('.').pop()!) : [],
  });
  useEffect(() => {
    if (hallId === null) return;
    void api('GET /public/halls/:hallId/booking', { hallId }).then(setInfo, fail);
    void api('GET /public/halls/:hallId/queue', { hallId }).then(setQueue, () => setQueue(null));
  }, [hallId]);
  const restart = () => {
    setBooked(null);
    setService(null);
    setChosen(null);
    setQueueService(null);
    setProblem(null);
  };

  const timeZone = info?.hall.timezone ?? 'Asia/Shanghai';
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
    body = <HallChoice onPick={setHallId} onError={fail} />;
  } else if (queueService && hallId !== null) {
    body = (
      <QueueForm
        hallId={hallId} service={queueService} draft={draft} onDraft={(change) => setDraft((d) => ({ ...d, ...change }))}
        invalidFields={problem?.fields ?? []} onBack={() => setQueueService(null)} onError={fail}
        onQueued={(token) => {
          rememberOnline(token);
          location.assign(`/t/${token}`);
        }}
      />
    );
  } else if (info?.verification === 'staff_only') {
    body = <section class="card"><p data-testid="staff-only">{t('book.staffOnly')}</p></section>;
  } else if (!service || !info) {
    body = (
      <>
      {queue && <QueueChoice info={queue} onPick={(s) => {
        setProblem(null);
        setQueueService(s);
      }} />}
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
      </>
    );
  } else if (!chosen?.slot) {
    body = (
      <SlotPicker
        hallId={info.hall.id} service={service} timeZone={timeZone} chosenDay={chosen?.day.day ?? null}
        onBack={() => {
          setService(null);
          setChosen(null);
        }}
        onPick={(day, slot) => setChosen({ day, slot })} onError={fail}
      />
    );
  } else {
    body = (
      <DetailsForm
        info={info} service={service} day={chosen.day} slot={chosen.slot} draft={draft} onDraft={(change) => setDraft((d) => ({ ...d, ...change }))}
        invalidFields={problem?.fields ?? []}
        onBack={() => setChosen({ day: chosen.day, slot: null })}
        onBooked={setBooked}
        onSlotFull={() => setChosen({ day: chosen.day, slot: null })}
        onError={fail}
      />
    );
  }

  return (
    <main class="booking">
      <header>
        <h1>{info?.hall.name ?? t('book.title')}</h1>
        <LangSwitch />
      </header>
      {problem && <div class="error-banner" role="alert" id="booking-error" data-testid="booking-error">{problem.message}</div>}
      {body}
      <nav class="foot">
        <button type="button" class="link-button light" data-testid="lookup" onClick={() => setLookup(!lookup)}>{lookup ? t('book.newBooking') : t('book.lookup')}</button>
      </nav>
    </main>
  );
}

render(<Booking />, document.getElementById('app')!);
