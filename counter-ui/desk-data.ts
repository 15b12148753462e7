import { useCallback, useMemo, useState } from 'preact/hooks';
import type { QueueSnapshot } from '../protocol/queue.js';
import { waitsFor } from '../protocol/serving.js';
import type { TicketView } from '../protocol/tickets.js';
import type { WindowView } from '../protocol/windows.js';
import { api } from '../ui-shared/api.js';
import { errorText } from '../ui-shared/errors.js';
import type { FeedStatus } from '../protocol/realtime-client.js';
import { debounce, useFeed } from '../ui-shared/feed.js';

export interface DeskData {
  snapshot: QueueSnapshot | null;
  win: WindowView | null;
  /** 选叫: those waiting for what this window serves (or sent to it), oldest first. */
  waiting: TicketView[];
  /** 重排: today's no-shows at this window. */
  noShows: TicketView[];
  load: () => Promise<{ lastSeq: number }>;
  status: FeedStatus;
}

/** What the desk shows, read again after every event of the hall (debounced) and every action. */
export function useDeskData(hallId: number, windowId: number, onError: (message: string) => void): DeskData {
  const [snapshot, setSnapshot] = useState<QueueSnapshot | null>(null);
  const [win, setWin] = useState<WindowView | null>(null);
  const [lists, setLists] = useState<{ waiting: TicketView[]; noShows: TicketView[] }>({ waiting: [], noShows: [] });

  const load = useCallback(async () => {
    const [snap, w, open, missed] = await Promise.all([
      api('GET /halls/:hallId/queue', { hallId }),
      api('GET /halls/:hallId/windows/:windowId', { hallId, windowId }),
      api('GET /halls/:hallId/tickets', { hallId, status: 'waiting', limit: 200 }),
      api('GET /halls/:hallId/tickets', { hallId, status: 'no_show', windowId: String(windowId), limit: 50 }),
    ]);
    setSnapshot(snap);
    setWin(w);
    setLists({
      waiting: open.filter((x) => x.businessDay === snap.businessDay && waitsFor(w, x)).reverse(),
      noShows: missed.filter((x) => x.businessDay === snap.businessDay),
    });
    return { lastSeq: snap.lastSeq };
  }, [hallId, windowId]);
  // A refresh that fails says so on the screen (the next event or action tries again).
  const reload = useMemo(() => debounce(() => void load().catch((err: unknown) => onError(errorText(err))), 150), [load]);
  const status = useFeed({ auth: {}, load, onEvent: reload });
  return { snapshot, win, ...lists, load, status };
}
