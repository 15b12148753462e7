import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { CallBoard, type CurrentCall } from '../protocol/call-board.js';
import type { DeviceSelf } from '../protocol/devices.js';
import type { HallEvent } from '../protocol/events.js';
import { isTicketEvent } from '../protocol/transitions.js';
import type { HallSettings } from '../protocol/halls.js';
import type { QueueSnapshot } from '../protocol/queue.js';
import { api } from '../ui-shared/api.js';
import { Clock, Emblem } from '../ui-shared/components.js';
import { pairedToken } from '../ui-shared/device.js';
import { mountDevicePage } from '../ui-shared/device-page.js';
import { debounce, useFeed } from '../ui-shared/feed.js';
import { t, useLang } from '../ui-shared/i18n/index.js';
import { calendarDay } from '../ui-shared/time.js';
import { Announcer, announcementText } from '../ui-shared/speech.js';
import '../ui-shared/base.css';
import './display.css';
import { useSound } from './sound.js';
import { MAX_LARGE, Stage, Strip } from './stage.js';

const FLASH_MS = 8000;
/** Calls caught up after a reconnect are still announced when made at most this long ago. */
const CATCH_UP_MS = 60_000;
/** Lines in the list of calls. */
const LISTED = 10;
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
  /** The hall's name and settings, as its latest hall:changed event left them. */
  const [hall, setHall] = useState<{ name: string; settings: HallSettings }>(self.hall);
  const { settings } = hall;
  const [flashing, setFlashing] = useState<Set<number>>(new Set());
  const unlocked = useSound(announcer);

  const spoken = useRef(new Set<string>()).current;
  const serverOffset = useRef(0);
  const loadedOnce = useRef(false);
  const settingsRef = useRef(settings);
  settingsRef.current = settings;
  /** This display's zone (a set of windows), or null for the whole hall: it shows and speaks only those. */
  const zone = settings.displayZones.find((z) => z.displayIds.includes(self.device.id)) ?? null;
  const inZoneRef = useRef<(windowId: number) => boolean>(() => true);
  inZoneRef.current = (windowId) => zone === null || zone.windowIds.includes(windowId);

  const announce = (call: CurrentCall) => {
    spoken.add(spokenKey(call));
    if (!inZoneRef.current(call.windowId)) return;
    const s = settingsRef.current;
    if (!s.silentCalls) announcer.announce(call.ticketId, announcementText(s.announcementTemplate, call.displayNumber, call.windowNumber), s.announcementRepeat);
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
      setHall(event.payload.hall);
      return;
    }
    const call = board.apply(event);
    // Any other move of a called ticket (started, finished, gone): the citizen is not called again.
    if (!call && isTicketEvent(event)) announcer.withdraw(event.payload.ticket.id);
    redraw();
    refreshCounts();
    if (!call) return;
    // A live call is announced at once; replayed ones are weighed together once the replay is done.
    if (live) announce(call);
    else catchUpSoon();
  }, []);

  const status = useFeed({ auth: { token: pairedToken()! }, load, onEvent });
  // Past midnight on the server's clock, yesterday's calls leave the list even if nobody is called.
  useEffect(() => {
    const timer = setInterval(() => {
      board.startDay(calendarDay(Date.now() + serverOffset.current, self.hall.timezone));
      redraw(); // yesterday's calls leave the list, and a notice past its end time leaves the screen
    }, 60_000);
    return () => clearInterval(timer);
  }, []);

  // A notice leaves the screen at its end time, to the second (not at the next minute's redraw).
  const noticeUntil = settings.displayNotice ? settings.displayNoticeUntil : null;
  useEffect(() => {
    if (noticeUntil === null) return;
    const left = noticeUntil - (Date.now() + serverOffset.current);
    if (left <= 0 || left > 2 ** 31 - 1) return;
    const timer = setTimeout(redraw, left + 50);
    return () => clearTimeout(timer);
  }, [noticeUntil]);

  const inZone = inZoneRef.current;
  const calling = [...board.current.values()].filter((c) => inZone(c.windowId)).sort((a, b) => b.calledAt - a.calledAt || b.seq - a.seq);
  const current: CurrentCall[] = calling.slice(0, MAX_LARGE);
  // The list: calls still at their windows that do not fit large (never hidden), then the latest others.
  const atWindows = new Set(calling.map((c) => c.ticketId));
  const listed = [...calling.slice(MAX_LARGE), ...board.recent.filter((c) => inZone(c.windowId) && !atWindows.has(c.ticketId))].slice(0, LISTED);
  const strip = snapshot && zone ? { ...snapshot, windows: snapshot.windows.filter((w) => inZone(w.windowId)) } : snapshot;

  return (
    <div class="display" data-live={status === 'live' ? 'true' : undefined}>
      <header class="bar">
        <Emblem />
        <div class="hall-name">{hall.name}{zone && <span class="zone-name" data-testid="zone-name"> · {zone.name}</span>}</div>
        {status !== 'live' && status !== 'catching_up' && <div class="reconnecting" data-testid="reconnecting">{t('conn.discreet')}</div>}
        {status === 'live' && stale && <div class="reconnecting" data-testid="stale">{t('display.stale')}</div>}
        {!unlocked && !settings.silentCalls && <div class="unlock" role="status" data-testid="unlock">{t('display.unlock')}</div>}
        <Clock seconds timeZone={self.hall.timezone} />
      </header>
      <Stage current={current} listed={listed} atWindows={atWindows} flashing={flashing} timeZone={self.hall.timezone} />
      <Strip snapshot={strip} />
      {settings.displayNotice && (settings.displayNoticeUntil === null || settings.displayNoticeUntil > Date.now() + serverOffset.current) && <footer class="notice"><div class="notice-text">{settings.displayNotice}</div></footer>}
    </div>
  );
}

mountDevicePage('display', 'display.unpaired', (self) => <Display self={self} />);
