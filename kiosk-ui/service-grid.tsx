import { useEffect, useRef, useState } from 'preact/hooks';
import { issuingState } from '../protocol/issuing.js';
import type { QueueSnapshot, ServiceQueue } from '../protocol/queue.js';
import { nameOf, t } from '../ui-shared/i18n/index.js';
import { when } from './when.js';

/** The services as large cards: waiting and estimate where a number can be taken, else why not and until when. */
export function ServiceGrid({ snapshot, green, issuing, timeZone, onTake }: {
  snapshot: QueueSnapshot | null;
  green: boolean;
  issuing: boolean;
  timeZone: string;
  onTake: (service: ServiceQueue) => void;
}) {
  const services = snapshot?.services ?? [];
  // Why a service takes no number while the hall does: past its cut-off, or not one the 值班窗口 handle.
  const endedText = (s: ServiceQueue) => {
    if (!snapshot?.issuing.open || s.nextOpening === null) return t('kiosk.notNow');
    return t(snapshot.issuing.duty ? 'kiosk.notOnDuty' : 'kiosk.ended', { next: when(s.nextOpening, timeZone) });
  };
  // When the services do not all fit (大字模式, English), a cue says more are below.
  const servicesRef = useRef<HTMLDivElement>(null);
  const [more, setMore] = useState(false);
  const measureScroll = () => {
    const el = servicesRef.current;
    setMore(!!el && el.scrollTop + el.clientHeight < el.scrollHeight - 8);
  };
  // Measured on the next frame: the page's own effects (大字模式 sets a class on the body) run after this one's.
  useEffect(() => {
    const frame = requestAnimationFrame(measureScroll);
    window.addEventListener('resize', measureScroll);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('resize', measureScroll);
    };
  });
  return (
    <>
      <div class={`services ${green ? 'for-green' : ''}`} ref={servicesRef} onScroll={measureScroll}>
        {services.map((s) => {
          const state = issuingState(s);
          return (
            <button
              type="button" key={s.serviceId} class={`service ${state}`} disabled={state !== 'open' || issuing}
              data-testid={`service-${s.code}`} onClick={() => onTake(s)}
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
                    {state === 'full' ? t('kiosk.full') : state === 'ended' ? endedText(s) : t('kiosk.closed')}
                  </span>
                )}
              </span>
            </button>
          );
        })}
      </div>
      {more && <div class="more" aria-hidden="true" data-testid="more">{t('kiosk.more')}</div>}
    </>
  );
}
