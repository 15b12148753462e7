import { useCallback, useEffect, useState } from 'preact/hooks';
import type { SessionView } from '../protocol/auth.js';
import type { HallView } from '../protocol/halls.js';
import { setupNeeded } from './account.js';
import { ApiError, api, useCsrfToken } from './api.js';

/**
 * The signed-in staff member of a page and their hall: undefined while asking, null when signed
 * out. `refresh` asks again (after signing in, a password change, picking a window).
 */
export function useStaffSession(): { session: SessionView | null | undefined; halls: HallView[]; hall: HallView | null; refresh: () => Promise<void> } {
  const [session, setSession] = useState<SessionView | null | undefined>(undefined);
  const [halls, setHalls] = useState<HallView[]>([]);
  const refresh = useCallback(async () => {
    try {
      const s = await api('GET /auth/me');
      useCsrfToken(s.csrfToken);
      // A password or second factor still owed comes first; nothing else answers until then.
      if (!setupNeeded(s)) {
        setHalls(await api('GET /halls'));
      }
      setSession(s);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) setSession(null);
      else setTimeout(() => void refresh(), 2000); // server not reachable yet: keep trying
    }
  }, []);
  useEffect(() => void refresh(), [refresh]);
  // Staff of a hall work in it; an admin starts in the first.
  const hall = halls.find((h) => h.id === session?.staff.hallId) ?? halls[0] ?? null;
  return { session, halls, hall, refresh };
}
