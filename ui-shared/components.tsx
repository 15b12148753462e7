import { useEffect, useState } from 'preact/hooks';
import type { FeedStatus } from '../protocol/realtime-client.js';
import { lang, setLang, t, useLang } from './i18n/index.js';

/** The hall's clock: in the hall's timezone, whatever the device is set to. */
export function Clock({ seconds = false, timeZone }: { seconds?: boolean; timeZone: string }) {
  const [now, setNow] = useState(() => new Date());
  useLang();
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  const locale = lang() === 'zh' ? 'zh-CN' : 'en-GB';
  const time = now.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}), hour12: false, timeZone });
  const date = now.toLocaleDateString(locale, { year: 'numeric', month: 'long', day: 'numeric', weekday: 'long', timeZone });
  return (
    <div class="clock">
      <span class="clock-time">{time}</span>
      <span class="clock-date">{date}</span>
    </div>
  );
}

export function LangSwitch() {
  const current = useLang();
  return (
    <button type="button" class="lang-switch" onClick={() => setLang(current === 'zh' ? 'en' : 'zh')}>
      {t('lang.switch')}
    </button>
  );
}

/** A full-screen notice while the connection is down (kiosk, phone). */
export function ConnectionOverlay({ status }: { status: FeedStatus }) {
  useLang();
  if (status !== 'reconnecting' && status !== 'refused') return null;
  return (
    <div class="overlay" role="alert">
      <div class="overlay-box">{status === 'refused' ? t('conn.refused') : t('conn.reconnecting')}</div>
    </div>
  );
}

export function Emblem() {
  // A plain seal-like mark drawn here: no external image, nothing to fetch on an offline LAN.
  return (
    <svg class="emblem" viewBox="0 0 48 48" aria-hidden="true">
      <circle cx="24" cy="24" r="22" fill="none" stroke="currentColor" stroke-width="3" />
      <path d="M24 9l4.4 9 9.9 1.4-7.2 7 1.7 9.8L24 31.6l-8.8 4.6 1.7-9.8-7.2-7 9.9-1.4z" fill="currentColor" />
    </svg>
  );
}
