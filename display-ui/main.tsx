import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { CallBoard, type CurrentCall } from '../protocol/call-board.js';
import type { DeviceSelf } from '../protocol/devices.js';
import type { HallEvent } from '../protocol/events.js';
import type { HallSettings } from '../protocol/halls.js';
import type { QueueSnapshot } from '../protocol/queue.js';
import { clockTime } from '../protocol/clock-time.js';
import { api } from '../ui-shared/api.js';
import { Clock, Emblem } from '../ui-shared/components.js';
import { pairedToken } from '../ui-shared/device.js';
import { mountDevicePage } from '../ui-shared/device-page.js';
import { debounce, useFeed } from '../ui-shared/feed.js';
import { nameOf, t, useLang } from '../ui-shared/i18n/index.js';
import { Announcer, announcementText } from '../ui-shared/speech.js';
import '../ui-shared/base.css';
import './display.css';

const FLASH_MS = 8000;
/** Calls caught up after a reconnect are still announced when made at most this long ago. */
const CATCH_UP_MS = 60_000;
/** The newest calls are shown large (the number at least 10 % of the screen height); older ones are in the list. */
const LARGE_CALLS = 4;
const announcer = new Announcer();
/** A call is announced once; a 重呼 is a new announcement. */
const spokenKey = (c: CurrentCall) => `${c.ticketId}:${c.recallCount}`;

function Display({ self }: { self: DeviceSelf }) {
  useLang();
  const hallId = self.hall.id;
  const board = useRef(new CallBoard()).current;
  const [, setVersion] = useState(0);
  const redraw = () => setVersion((v) => v + 1);
  const [snapshot, setSnapshot] = useState<QueueSnapshot | null>(null);
  const [stale, setStale] = useState(false);
  const [settings, setSettings] = useState<HallSettings>(self.hall.settings);
  const [hallName, setHallName] = useState(self.hall.name);
  const [flashing, setFlashing] = useState<Set<number>>(new Set());
  const [unlocked, setUnlocked] = useState(false);

  const spoken = useRef(new Set<string>()).current;
  const serverOffset = useRef(0);
  const loadedOnce = useRef(false);
  const settingsRef = useRef(settings);
  settingsRef.current = settings;

  const announce = (call: CurrentCall) => {
    spoken.add(spokenKey(call));
    const s = settingsRef.current;
    if (!s.silentCalls) announcer.announce(announcementText(s.announcementTemplate, call.displayNumber, call.windowNumber), s.announcementRepeat);
    setFlashing((f) => new Set(f).add(call.seq));
    setTimeout(() => setFlashing((f) => {
      const next = new Set(f);
      next.delete(call.seq);
      return next;
    }), FLASH_MS);
  };
  /**
   * After a reconnect: the calls made meanwhile that are still current and recent are announced,
   * oldest first, each once; older ones are shown only.
   */
  const catchUp = () => {
    const serverNow = Date.now() + serverOffset.current;
    for (const call of [...board.current.values()].sort((a, b) => a.calledAt - b.calledAt || a.seq - b.seq)) {
      if (spoken.has(spokenKey(call))) continue;
      if (serverNow - call.calledAt <= CATCH_UP_MS) announce(call);
      else spoken.add(spokenKey(call));
    }
  };
  const catchUpSoon = useMemo(() => debounce(catchUp, 300), []);

  const load = useCallback(async () => {
    const snap = await api('GET /halls/:hallId/queue', { hallId });
    serverOffset.current = snap.at - Date.now();
    board.load(snap);
    setSnapshot(snap);
    redraw();
    // What is on the board at the first load was called before this page existed: shown, not spoken.
    if (!loadedOnce.current) for (const call of board.current.values()) spoken.add(spokenKey(call));
    else catchUpSoon();
    loadedOnce.current = true;
    return { lastSeq: snap.lastSeq };
  }, [hallId]);
  // Counts and window states come from the snapshot; calls come from events.
  const refreshCounts = useMemo(() => debounce(() => {
    // Counts are secondary on the display: a failed refresh shows a discreet badge until the next one works.
    api('GET /halls/:hallId/queue', { hallId }).then((s) => {
      setSnapshot(s);
      setStale(false);
    }, () => setStale(true));
  }, 400), [hallId]);

  const onEvent = useCallback((event: HallEvent, live: boolean) => {
    if (event.type === 'hall:changed') {
      const { hall } = event.payload;
      setSettings(hall.settings);
      setHallName(hall.name);
      return;
    }
    const call = board.apply(event);
    redraw();
    refreshCounts();
    if (!call) return;
    // A live call is announced at once; replayed ones are weighed together once the replay is done.
    if (live) announce(call);
    else catchUpSoon();
  }, []);

  const status = useFeed({ auth: { token: pairedToken()! }, load, onEvent });

  // A display started with autoplay allowed (README: kiosk mode) speaks without a tap. What it can
  // do is reported, so the manager's device page can say when a display has no sound or no voice.
  const report = (allowed: boolean) => announcer.chineseVoiceSoon()
    .then((chineseVoice) => api('POST /devices/me/sound', { allowed, chineseVoice }))
    .catch((err: unknown) => console.warn('could not report the display\'s sound', err));
  useEffect(() => void announcer.mayPlay().then((ok) => {
    if (ok) setUnlocked(true);
    return report(ok);
  }), []);
  useEffect(() => {
    if (unlocked) return;
    const unlock = () => {
      void announcer.unlock().then(() => {
        setUnlocked(true);
        return report(true);
      });
    };
    window.addEventListener('pointerdown', unlock, { once: true });
    window.addEventListener('keydown', unlock, { once: true });
    return () => {
      window.removeEventListener('pointerdown', unlock);
      window.removeEventListener('keydown', unlock);
    };
  }, [unlocked]);

  const calling = [...board.current.values()].sort((a, b) => b.calledAt - a.calledAt || b.seq - a.seq);
  const current: CurrentCall[] = calling.slice(0, LARGE_CALLS);
  // The list: calls still at their windows that do not fit large (never hidden), then the latest others.
  const atWindows = new Set(calling.map((c) => c.ticketId));
  const listed = [...calling.slice(LARGE_CALLS), ...board.recent.filter((c) => !atWindows.has(c.ticketId))].slice(0, 10);
  const services = (snapshot?.services ?? []).filter((s) => s.active);
  const windows = snapshot?.windows ?? [];

  return (
    <div class="display" data-live={status === 'live' ? 'true' : undefined}>
      <header class="bar">
        <Emblem />
        <div class="hall-name">{hallName}</div>
        {status !== 'live' && status !== 'catching_up' && <div class="reconnecting" data-testid="reconnecting">{t('conn.discreet')}</div>}
        {status === 'live' && stale && <div class="reconnecting" data-testid="stale">{t('display.stale')}</div>}
        {!unlocked && !settings.silentCalls && <div class="unlock" role="status" data-testid="unlock">{t('display.unlock')}</div>}
        <Clock seconds timeZone={self.hall.timezone} />
      </header>
      <main class="stage">
        <section class="now">
          <h2>{t('display.current')}</h2>
          {current.length === 0 ? (
            <div class="idle">{t('display.idle')}</div>
          ) : (
            <div class={`calls calls-${current.length}`}>
              {current.map((c) => (
                <div key={c.windowId} class={`call ${flashing.has(c.seq) ? 'flash' : ''}`} data-testid="current-call">
                  <div class="call-number">{c.displayNumber}</div>
                  <div class="call-window">{t('display.window', { n: c.windowNumber })}</div>
                </div>
              ))}
            </div>
          )}
        </section>
        <aside class="recent">
          <h2>{t('display.recent')}</h2>
          <ol>
            {listed.map((c) => (
              <li key={`${c.ticketId}:${c.seq}`} class={atWindows.has(c.ticketId) ? 'still-current' : ''}>
                <span class="recent-number">{c.displayNumber}</span>
                <span class="recent-window">{t('display.window', { n: c.windowNumber })}</span>
                <span class="recent-time">{clockTime(c.calledAt, self.hall.timezone)}</span>
              </li>
            ))}
          </ol>
        </aside>
      </main>
      <section class="strip">
        <div class="waiting">
          <span class="strip-title">{t('display.waitingTitle')}</span>
          {services.map((s) => (
            <span key={s.serviceId} class="chip" data-testid={`waiting-${s.code}`}>
              <b>{s.prefix}</b> {nameOf(s)} <em>{s.waiting}</em>
            </span>
          ))}
        </div>
        <div class="windows">
          {windows.map((w) => (
            <span key={w.windowId} class={`win ${w.state}`}>
              {w.number}
              {w.state !== 'open' && <small>{w.state === 'paused' ? t('display.paused') : t('display.closed')}</small>}
            </span>
          ))}
        </div>
      </section>
      {settings.displayNotice && <footer class="notice"><div class="notice-text">{settings.displayNotice}</div></footer>}
    </div>
  );
}

mountDevicePage('display', 'display.unpaired', (self) => <Display self={self} />);
