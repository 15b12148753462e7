import { useEffect, useRef, useState } from 'preact/hooks';
import type { HallEvent, HandshakeAuth } from '../protocol/events.js';
import { type FeedStatus, HallFeed } from '../protocol/realtime-client.js';

/**
 * Keeps a page connected to the hall's realtime feed. `load` fetches the page's REST snapshot
 * and returns its seq; `onEvent` sees each later event once, in order.
 */
export function useFeed(options: {
  auth: Omit<HandshakeAuth, 'lastSeq'> | null;
  stream?: 'hall' | 'ticket';
  load: (serverLastSeq: number) => Promise<{ lastSeq: number }>;
  onEvent: (event: HallEvent, live: boolean) => void;
}): FeedStatus {
  const [status, setStatus] = useState<FeedStatus>('connecting');
  const latest = useRef(options);
  latest.current = options;
  const key = JSON.stringify(options.auth);
  useEffect(() => {
    if (!options.auth) return;
    const feed = new HallFeed({
      auth: options.auth,
      stream: options.stream ?? 'hall',
      loadSnapshot: (seq) => latest.current.load(seq),
      onEvent: (event, live) => latest.current.onEvent(event, live),
      onStatus: setStatus,
    }).start();
    return () => feed.stop();
  }, [key]);
  return status;
}

/** Calls `fn` at most once per `ms`, at the end of a burst (a burst of events → one reload). */
export function debounce(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}
