import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { PublicAppointment } from '../protocol/appointments.js';
import type { DeviceSelf } from '../protocol/devices.js';
import type { QueueSnapshot, ServiceQueue } from '../protocol/queue.js';
import { issuingState } from '../protocol/issuing.js';
import type { TicketView, WaitEstimate } from '../protocol/tickets.js';
import { api } from '../ui-shared/api.js';
import { Clock, ConnectionOverlay, Emblem, LangSwitch } from '../ui-shared/components.js';
import { pairedToken } from '../ui-shared/device.js';
import { mountDevicePage } from '../ui-shared/device-page.js';
import { fitPageToSlip, phonePageQr, Slip } from '../ui-shared/slip.js';
import { errorText } from '../ui-shared/errors.js';
import { debounce, useFeed } from '../ui-shared/feed.js';
import { lang, nameOf, setLang, t, useLang } from '../ui-shared/i18n/index.js';
import '../ui-shared/base.css';
import './kiosk.css';

const IDLE_SECONDS = 20;
const LARGE_KEY = 'kiosk.large';

interface Issued {
  /** The issue response is the only place the ticket's token (the citizen's key) is sent. */
  ticket: TicketView & { token: string };
  estimate: WaitEstimate;
  /** The service's names, as the slip shows them. */
  service: { nameZh: string; nameEn: string };
  qr: string;
  /** Set when the ticket came from a booking's check-in. */
  appointment?: PublicAppointment;
}

const CODE_LENGTH = 8;

/** Digits typed on a large keypad (96 px keys) and shown in boxes: a check-in code, a mobile number. */
function DigitPad({ length, title, hint, label, submitLabel, busy, onDigits, onCancel }: {
  length: number; title: string; hint: string; label: string; submitLabel: string; busy: boolean; onDigits: (digits: string) => void; onCancel: () => void;
}) {
  const [digits, setDigits] = useState('');
  const press = (d: string) => setDigits((c) => (c.length < length ? c + d : c));
  return (
    <>
      <h1 class="pick">{title}</h1>
      <p class="checkin-hint">{hint}</p>
      <output class={`code-box ${length > 8 ? 'long' : ''}`} data-testid="code-box" aria-label={label}>
        {Array.from({ length }, (_, i) => <span key={i} class={i < digits.length ? 'filled' : ''}>{digits[i] ?? ''}</span>)}
      </output>
      <div class="keypad">
        {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => <button type="button" key={d} data-testid={`key-${d}`} onClick={() => press(d)}>{d}</button>)}
        <button type="button" class="key-soft" onClick={() => setDigits('')}>{t('kiosk.clear')}</button>
        <button type="button" data-testid="key-0" onClick={() => press('0')}>0</button>
        <button type="button" class="key-soft" aria-label={t('kiosk.delete')} onClick={() => setDigits((c) => c.slice(0, -1))}>⌫</button>
      </div>
      <div class="checkin-actions">
        <button type="button" class="ghost" onClick={onCancel}>{t('common.cancel')}</button>
        <button type="button" class="primary" data-testid="pad-submit" disabled={digits.length !== length || busy} onClick={() => onDigits(digits)}>{submitLabel}</button>
      </div>
    </>
  );
}

/**
 * 预约签到: the citizen types the 8-digit code on a large keypad, or, where the browser can read
 * QR codes from the camera (BarcodeDetector), shows the QR of their booking.
 */
function CheckIn({ busy, onCode, onCancel }: { busy: boolean; onCode: (code: string) => void; onCancel: () => void }) {
  const [scanning, setScanning] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  const canScan = 'BarcodeDetector' in window && !!navigator.mediaDevices?.getUserMedia;
  useEffect(() => {
    if (!scanning) return;
    let stream: MediaStream | null = null;
    let stop = false;
    type Detector = { detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]> };
    const Detector = (window as unknown as { BarcodeDetector: new (o: { formats: string[] }) => Detector }).BarcodeDetector;
    const detector = new Detector({ formats: ['qr_code'] });
    void navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user' } }).then(async (s) => {
      stream = s;
      if (!video.current) return;
      video.current.srcObject = s;
      await video.current.play();
      while (!stop) {
        const found = (await detector.detect(video.current).catch(() => [])).map((b) => /(\d{8})/.exec(b.rawValue)?.[1]).find(Boolean);
        if (found) return onCode(found);
        await new Promise((r) => setTimeout(r, 300));
      }
    }, () => setScanning(false));
    return () => {
      stop = true;
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, [scanning]);
  return (
    <main class="checkin" data-testid="checkin">
      <DigitPad
        length={CODE_LENGTH} title={t('kiosk.checkInTitle')} hint={t('kiosk.checkInHint')} label={t('book.code')}
        submitLabel={t('kiosk.checkInSubmit')} busy={busy} onDigits={onCode} onCancel={onCancel}
      />
      {canScan && (
        <div class="scan">
          {scanning ? <video ref={video} class="scan-video" muted playsInline /> : <button type="button" class="ghost" onClick={() => setScanning(true)}>{t('kiosk.scanCode')}</button>}
        </div>
      )}
    </main>
  );
}

/** "11月26日 09:00" / "26 Nov 09:00" in the hall's timezone. */
function when(ms: number, timeZone: string): string {
  return new Date(ms).toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en-GB', { timeZone, month: 'short', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false });
}

function Kiosk({ self }: { self: DeviceSelf }) {
  useLang();
  const hallId = self.hall.id;
  const [snapshot, setSnapshot] = useState<QueueSnapshot | null>(null);
  const [green, setGreen] = useState(false);
  const [large, setLarge] = useState(() => localStorage.getItem(LARGE_KEY) === '1');
  const [issuing, setIssuing] = useState(false);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  const [countdown, setCountdown] = useState(IDLE_SECONDS);
  const [checkingIn, setCheckingIn] = useState(false);
  /** After issuing: the citizen types a mobile number for SMS notices (optional), then it is saved. */
  const [sms, setSms] = useState<'no' | 'typing' | 'saved'>('no');

  const load = useCallback(async () => {
    const snap = await api('GET /halls/:hallId/queue', { hallId });
    setSnapshot(snap);
    return { lastSeq: snap.lastSeq };
  }, [hallId]);
  // A refresh that fails says so (in plain words) until the next one succeeds.
  const reload = useMemo(() => debounce(() => void load().then(() => setStale(false), () => setStale(true)), 250), [load]);
  const status = useFeed({ auth: { token: pairedToken()! }, load, onEvent: reload });
  // Opening, closing and cut-offs happen with no event: look again every minute.
  useEffect(() => {
    const timer = setInterval(reload, 60_000);
    return () => clearInterval(timer);
  }, [reload]);

  useEffect(() => {
    document.body.classList.toggle('large', large);
    localStorage.setItem(LARGE_KEY, large ? '1' : '0');
  }, [large]);

  // Back home for the next citizen: their choices (绿色通道, 大字模式, English) and any message are not inherited.
  const home = useCallback(() => {
    setIssued(null);
    setCheckingIn(false);
    setSms('no');
    setGreen(false);
    setLarge(false);
    setError(null);
    if (lang() !== 'zh') setLang('zh');
  }, []);

  // Left alone on the home screen with something changed (a message, 绿色通道, 大字, English): start clean.
  const [idle, setIdle] = useState(0);
  const changed = error !== null || green || large || checkingIn || lang() !== 'zh';
  useEffect(() => {
    if (issued || !changed) return;
    const timer = setTimeout(home, IDLE_SECONDS * 1000);
    const touch = () => setIdle((n) => n + 1);
    window.addEventListener('pointerdown', touch);
    window.addEventListener('keydown', touch);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('pointerdown', touch);
      window.removeEventListener('keydown', touch);
    };
  }, [issued, changed, idle, home]);

  // After issuing, count down to the home screen; any touch restarts the count.
  useEffect(() => {
    if (!issued) return;
    setCountdown(IDLE_SECONDS);
    const timer = setInterval(() => setCountdown((n) => (n <= 1 ? 0 : n - 1)), 1000);
    const touch = () => setCountdown(IDLE_SECONDS);
    window.addEventListener('pointerdown', touch);
    return () => {
      clearInterval(timer);
      window.removeEventListener('pointerdown', touch);
    };
  }, [issued]);
  useEffect(() => {
    if (issued && countdown === 0) home();
  }, [countdown, issued, home]);

  async function take(service: ServiceQueue) {
    if (issuing) return;
    setIssuing(true);
    setError(null);
    try {
      const res = await api('POST /halls/:hallId/tickets', { hallId }, {
        serviceId: service.serviceId, priorityClass: green ? 'priority' : 'normal',
      });
      await show(res, service);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setIssuing(false);
    }
  }

  /** The ticket on the screen and, once it is there, on paper. */
  async function show(res: { ticket: Issued['ticket']; estimate: WaitEstimate; appointment?: PublicAppointment }, service: Issued['service']) {
    const qr = await phonePageQr(res.ticket.token);
    setIssued({ ...res, service, qr });
    void load();
    // Print once the slip is in the page, on a page sized to it.
    requestAnimationFrame(() => {
      fitPageToSlip();
      window.print();
    });
  }

  async function checkIn(code: string) {
    if (issuing) return;
    setIssuing(true);
    setError(null);
    try {
      const res = await api('POST /halls/:hallId/appointments/check-in', { hallId }, { code });
      setCheckingIn(false);
      await show(res, { nameZh: res.appointment.serviceNameZh, nameEn: res.appointment.serviceNameEn });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setIssuing(false);
    }
  }

  const services = snapshot?.services ?? [];
  // When the services do not all fit (大字模式, English), a cue says more are below.
  const servicesRef = useRef<HTMLDivElement>(null);
  const [more, setMore] = useState(false);
  const measureScroll = () => {
    const el = servicesRef.current;
    setMore(!!el && el.scrollTop + el.clientHeight < el.scrollHeight - 8);
  };
  useEffect(() => {
    measureScroll();
    window.addEventListener('resize', measureScroll);
    return () => window.removeEventListener('resize', measureScroll);
  });
  return (
    <div class="kiosk">
      <header class="bar">
        <Emblem />
        <div class="bar-title">
          <div class="hall-name">{self.hall.name}</div>
          <div class="bar-sub">{t('app.title')}</div>
        </div>
        <Clock timeZone={self.hall.timezone} />
      </header>

      {issued ? null : checkingIn ? (
        <>
          {error && <div class="error-banner checkin-error" role="alert">{error}</div>}
          <CheckIn busy={issuing} onCode={(code) => void checkIn(code)} onCancel={home} />
        </>
      ) : null}
      {issued && sms === 'typing' ? (
        <main class="checkin" data-testid="sms-entry">
          {error && <div class="error-banner" role="alert">{error}</div>}
          <DigitPad
            length={11} title={t('kiosk.smsTitle')} hint={t('kiosk.smsHint')} label={t('book.phone')} submitLabel={t('kiosk.smsSubmit')} busy={issuing}
            onCancel={() => setSms('no')}
            onDigits={(phone) => void (async () => {
              setIssuing(true);
              setError(null);
              try {
                await api('POST /public/tickets/:token/phone', { token: issued.ticket.token }, { phone });
                setSms('saved');
              } catch (err) {
                setError(errorText(err));
              } finally {
                setIssuing(false);
              }
            })()}
          />
        </main>
      ) : issued ? (
        <main class="issued" data-testid="issued">
          <div class="issued-label">{t('kiosk.yourNumber')}</div>
          <div class="issued-number" data-testid="issued-number">{issued.ticket.displayNumber}</div>
          <div class="issued-service">{nameOf(issued.service)}{issued.ticket.priorityClass !== 'normal' ? ` · ${t(`class.${issued.ticket.priorityClass}`)}` : ''}</div>
          {issued.appointment && (
            <div class={`issued-appointment ${issued.appointment.late ? 'late' : ''}`} role="status" data-testid="checked-in">
              {issued.appointment.late ? t('kiosk.checkedInLate') : t('kiosk.checkedIn')}
            </div>
          )}
          <div class="issued-facts">
            <div>{t('kiosk.ahead', { n: issued.estimate.peopleAhead })}</div>
            <div>{issued.estimate.estimatedWaitMinutes === null ? t('kiosk.noEstimate') : t('kiosk.estimate', { n: issued.estimate.estimatedWaitMinutes })}</div>
          </div>
          <div class="issued-qr">
            <div dangerouslySetInnerHTML={{ __html: issued.qr }} />
            <div>{t('kiosk.scan')}</div>
          </div>
          <div class="issued-take">{t('kiosk.printing')}</div>
          {sms === 'saved' && <div class="issued-appointment" role="status" data-testid="sms-saved">{t('kiosk.smsDone')}</div>}
          <div class="issued-actions">
            {sms === 'no' && <button type="button" class="ghost" data-testid="sms" onClick={() => { setError(null); setSms('typing'); }}>{t('kiosk.sms')}</button>}
            <button type="button" class="ghost" onClick={() => { fitPageToSlip(); window.print(); }}>{t('kiosk.print')}</button>
            <button type="button" class="primary" onClick={home}>{t('kiosk.back', { n: countdown })}</button>
          </div>
          <Slip issued={issued} hallName={self.hall.name} timeZone={self.hall.timezone} />
        </main>
      ) : checkingIn ? null : (
        <main class="home">
          <h1 class="pick">{t('kiosk.pick')}</h1>
          {snapshot && !snapshot.issuing.open && (
            <div class="closed-banner" role="status" data-testid="hall-closed">
              {snapshot.issuing.nextOpening === null ? t('kiosk.hallClosedNoDate') : t('kiosk.hallClosed', { next: when(snapshot.issuing.nextOpening, self.hall.timezone) })}
            </div>
          )}
          {green && (
            <div class="green-banner" role="status" data-testid="green-on">
              <span>{t('kiosk.greenPick')}</span>
              <button type="button" onClick={() => setGreen(false)}>{t('common.cancel')}</button>
            </div>
          )}
          {error && <div class="error-banner" role="alert">{error}</div>}
          {stale && !error && <div class="error-banner" role="status" data-testid="stale">{t('kiosk.stale')}</div>}
          <div class={`services ${green ? 'for-green' : ''}`} ref={servicesRef} onScroll={measureScroll}>
            {services.map((s) => {
              const state = issuingState(s);
              return (
                <button
                  type="button" key={s.serviceId} class={`service ${state}`} disabled={state !== 'open' || issuing}
                  data-testid={`service-${s.code}`} onClick={() => void take(s)}
                >
                  <span class="service-prefix">{s.prefix}</span>
                  <span class="service-name">{nameOf(s)}</span>
                  <span class="service-meta">
                    {state === 'open' ? (
                      <>
                        <span>{t('kiosk.waiting', { n: s.waiting })}</span>
                        <span>{s.estimate.estimatedWaitMinutes === null ? t('kiosk.noEstimate') : t('kiosk.estimate', { n: s.estimate.estimatedWaitMinutes })}</span>
                      </>
                    ) : (
                      <span class="service-state">
                        {state === 'full' ? t('kiosk.full') : state === 'ended'
                          ? (snapshot?.issuing.open && s.nextOpening !== null ? t('kiosk.ended', { next: when(s.nextOpening, self.hall.timezone) }) : t('kiosk.notNow'))
                          : t('kiosk.closed')}
                      </span>
                    )}
                  </span>
                </button>
              );
            })}
          </div>
          {more && <div class="more" aria-hidden="true" data-testid="more">{t('kiosk.more')}</div>}
          {issuing && <div class="issuing">{t('kiosk.issuing')}</div>}
        </main>
      )}

      <footer class="tools">
        {!issued && !checkingIn && (
          <>
            <button type="button" class="tool checkin-tool" data-testid="checkin" onClick={() => {
              setError(null);
              setCheckingIn(true);
            }}>
              {t('kiosk.checkIn')}
            </button>
            <button type="button" class={`green ${green ? 'on' : ''}`} aria-pressed={green} data-testid="green" onClick={() => setGreen(!green)}>
              <strong>{green ? t('kiosk.greenOn') : t('kiosk.green')}</strong>
              <small>{t('kiosk.greenHint')}</small>
            </button>
            <button type="button" class="tool" data-testid="large" aria-pressed={large} onClick={() => setLarge(!large)}>
              {large ? t('kiosk.largeOff') : t('kiosk.large')}
            </button>
          </>
        )}
        <LangSwitch />
      </footer>
      <ConnectionOverlay status={status} />
    </div>
  );
}

mountDevicePage('kiosk', 'kiosk.unpaired', (self) => <Kiosk self={self} />);
