import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { QueueSnapshot } from '../protocol/queue.js';
import type { FeedStatus } from '../protocol/realtime-client.js';
import { api } from '../ui-shared/api.js';
import { pairedToken } from '../ui-shared/device.js';
import { debounce, useFeed } from '../ui-shared/feed.js';

/**
 * The hall's queue as the kiosk shows it, read again on every event (debounced) and every minute
 * (opening, closing and cut-offs happen with no event). `stale`: the last refresh failed.
 */
export function useHallQueue(hallId: number): { snapshot: QueueSnapshot | null; stale: boolean; status: FeedStatus; load: () => Promise<unknown> } {
  const [snapshot, setSnapshot] = useState<QueueSnapshot | null>(null);
  const [stale, setStale] = useState(false);
  const load = useCallback(async () => {
    const snap = await api('GET /halls/:hallId/queue', { hallId });
    setSnapshot(snap);
    return { lastSeq: snap.lastSeq };
  }, [hallId]);
  // A refresh that fails says so (in plain words) until the next one succeeds.
  const reload = useMemo(() => debounce(() => void load().then(() => setStale(false), () => setStale(true)), 250), [load]);
  const status = useFeed({ auth: { token: pairedToken()! }, load, onEvent: reload });
  useEffect(() => {
    const timer = setInterval(reload, 60_000);
    return () => clearInterval(timer);
  }, [reload]);
  return { snapshot, stale, status, load };
}
