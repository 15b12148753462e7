import { useCallback, useEffect, useState } from 'preact/hooks';
import type { PublicAppointment } from '../protocol/appointments.js';
import type { DeviceSelf } from '../protocol/devices.js';
import type { ServiceQueue } from '../protocol/queue.js';
import type { GreenCategory, TicketView, WaitEstimate } from '../protocol/tickets.js';
import { api } from '../ui-shared/api.js';
import { Clock, ConnectionOverlay, Emblem, LangSwitch } from '../ui-shared/components.js';
import { mountDevicePage } from '../ui-shared/device-page.js';
import { fitPageToSlip, phonePageQr } from '../ui-shared/slip.js';
import { errorText } from '../ui-shared/errors.js';
import { lang, setLang, t, useLang } from '../ui-shared/i18n/index.js';
import { CheckIn } from './digit-pad.js';
import { Arrived, EntranceCode } from './entrance.js';
import { GreenPanel } from './green-panel.js';
import { useHallQueue } from './hall-queue.js';
import { IDLE_SECONDS, type Issued, IssuedScreen } from './issued-screen.js';
import { ServiceGrid } from './service-grid.js';
import { when } from './when.js';
import '../ui-shared/base.css';
import './kiosk.css';

const LARGE_KEY = 'kiosk.large';

/** 取号机: the services to take a number for, 预约签到, 绿色通道, 大字模式; the number taken, printed. */
function Kiosk({ self }: { self: DeviceSelf }) {
  useLang();
  const hallId = self.hall.id;
  const { snapshot, stale, status, load } = useHallQueue(hallId);
  /** 绿色通道: who it is for, once the citizen has said; `choosing` while they choose. */
  const [green, setGreen] = useState<GreenCategory | 'choosing' | 'at-helper' | null>(null);
  const greenFor = green !== null && green !== 'choosing' && green !== 'at-helper' ? green : null;
  const [large, setLarge] = useState(() => localStorage.getItem(LARGE_KEY) === '1');
  const [issuing, setIssuing] = useState(false);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** 预约签到 or 在线排队 到厅确认: the code pad is on the screen. */
  const [checkingIn, setCheckingIn] = useState<false | 'booking' | 'arrival'>(false);
  const [arrived, setArrived] = useState<TicketView | null>(null);

  useEffect(() => {
    document.body.classList.toggle('large', large);
    localStorage.setItem(LARGE_KEY, large ? '1' : '0');
  }, [large]);

  // Back home for the next citizen: their choices (绿色通道, 大字模式, English) and any message are not inherited.
  const home = useCallback(() => {
    setIssued(null);
    setCheckingIn(false);
    setArrived(null);
    setGreen(null);
    setLarge(false);
    setError(null);
    if (lang() !== 'zh') setLang('zh');
  }, []);

  // Left alone on the home screen with something changed (a message, 绿色通道, 大字, English): start clean.
  const [idle, setIdle] = useState(0);
  const changed = error !== null || green !== null || large || checkingIn !== false || lang() !== 'zh';
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

  async function take(service: ServiceQueue) {
    if (issuing) return;
    setIssuing(true);
    setError(null);
    try {
      const res = await api('POST /halls/:hallId/tickets', { hallId }, {
        serviceId: service.serviceId, ...(greenFor ? { priorityClass: 'priority' as const, priorityCategory: greenFor } : {}),
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
      await show(res, {
        nameZh: res.appointment.serviceNameZh, nameEn: res.appointment.serviceNameEn,
        materials: snapshot?.services.find((s) => s.serviceId === res.ticket.serviceId)?.materials ?? [],
      });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setIssuing(false);
    }
  }

  async function arrive(code: string) {
    if (issuing) return;
    setIssuing(true);
    setError(null);
    try {
      const ticket = await api('POST /halls/:hallId/tickets/arrive', { hallId }, { code });
      setCheckingIn(false);
      setArrived(ticket);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setIssuing(false);
    }
  }

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
          {checkingIn === 'booking'
            ? <CheckIn busy={issuing} onCode={(code) => void checkIn(code)} onCancel={home} />
            : (
              <>
                {/* Either way in: the hall's QR code of the day for the phone, or the number's own code here. */}
                <EntranceCode hallId={hallId} />
                <CheckIn mode="arrival" busy={issuing} onCode={(code) => void arrive(code)} onCancel={home} />
              </>
            )}
        </>
      ) : null}
      {issued ? (
        <IssuedScreen issued={issued} hallName={self.hall.name} timeZone={self.hall.timezone} onHome={home} />
      ) : arrived ? (
        <Arrived ticket={arrived} onHome={home} />
      ) : checkingIn ? null : (
        <main class="home">
          <h1 class="pick">{t('kiosk.pick')}</h1>
          {snapshot && !snapshot.issuing.open && (
            <div class="closed-banner" role="status" data-testid="hall-closed">
              {snapshot.issuing.nextOpening === null ? t('kiosk.hallClosedNoDate') : t('kiosk.hallClosed', { next: when(snapshot.issuing.nextOpening, self.hall.timezone) })}
            </div>
          )}
          {snapshot?.issuing.duty && (
            <div class="duty-banner" role="status" data-testid="duty-hours">
              {snapshot.issuing.duty.mainOpening === null
                ? t('kiosk.dutyBanner', { windows: snapshot.issuing.duty.windows.join('、') })
                : t('kiosk.dutyBannerUntil', { windows: snapshot.issuing.duty.windows.join('、'), next: when(snapshot.issuing.duty.mainOpening, self.hall.timezone) })}
            </div>
          )}
          <GreenPanel state={green} onChoose={setGreen} onCancel={() => setGreen(null)} />
          {error && <div class="error-banner" role="alert">{error}</div>}
          {stale && !error && <div class="error-banner" role="status" data-testid="stale">{t('kiosk.stale')}</div>}
          {/* While the citizen says who the 绿色通道 is for, the services wait: a tap cannot take a normal number. */}
          {green !== 'choosing' && <ServiceGrid snapshot={snapshot} green={greenFor !== null} issuing={issuing} timeZone={self.hall.timezone} onTake={(s) => void take(s)} />}
          {issuing && <div class="issuing">{t('kiosk.issuing')}</div>}
        </main>
      )}

      <footer class="tools">
        {!issued && !checkingIn && !arrived && (
          <>
            <button type="button" class="tool checkin-tool" data-testid="checkin" onClick={() => {
              setError(null);
              setCheckingIn('booking');
            }}>
              {t('kiosk.checkIn')}
            </button>
            {self.hall.settings.onlineQueue && (
              <button type="button" class="tool checkin-tool" data-testid="arrive" onClick={() => {
                setError(null);
                setCheckingIn('arrival');
              }}>
                {t('kiosk.arrive')}
              </button>
            )}
            <button type="button" class={`green ${greenFor ? 'on' : ''}`} aria-pressed={green !== null} data-testid="green" onClick={() => {
              // Where priority is confirmed at the 导办台, the kiosk says so instead of granting it.
              if (green !== null) setGreen(null);
              else setGreen(self.hall.settings.kioskGreenChannel === 'helper' ? 'at-helper' : 'choosing');
            }}>
              <strong>{greenFor ? t('kiosk.greenOn') : t('kiosk.green')}</strong>
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
