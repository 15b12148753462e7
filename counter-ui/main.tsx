import { render } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { SessionView } from '../protocol/auth.js';
import type { HallView } from '../protocol/halls.js';
import { ApiError, api, useCsrfToken } from '../ui-shared/api.js';
import { AccountSetup, setupNeeded } from '../ui-shared/account.js';
import { Login } from '../ui-shared/login.js';
import { t, useLang } from '../ui-shared/i18n/index.js';
import { Counter } from './counter.js';
import { WindowPicker } from './window-picker.js';
import '../ui-shared/base.css';
import './counter.css';

function App() {
  useLang();
  const [session, setSession] = useState<SessionView | null | undefined>(undefined);
  const [hall, setHall] = useState<HallView | null>(null);

  const refresh = useCallback(async () => {
    try {
      const s = await api('GET /auth/me');
      useCsrfToken(s.csrfToken);
      // A password or second factor still owed comes first; nothing else answers until then.
      if (!setupNeeded(s)) {
        const halls = await api('GET /halls');
        setHall(halls.find((h) => h.id === s.staff.hallId) ?? halls[0] ?? null);
      }
      setSession(s);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) setSession(null);
      else setTimeout(() => void refresh(), 2000); // server not reachable yet: keep trying
    }
  }, []);
  useEffect(() => void refresh(), [refresh]);

  if (session === undefined) return null;
  if (session && setupNeeded(session)) return <AccountSetup session={session} title={t('counter.signIn')} onDone={() => void refresh()} />;
  if (session === null || !hall) return <Login title={t('counter.signIn')} onSession={(s) => { useCsrfToken(s.csrfToken); void refresh(); }} />;
  if (session.windowId === null) return <WindowPicker hallId={hall.id} onPicked={() => void refresh()} onSignedOut={() => void refresh()} />;
  return <Counter session={session} hall={hall} onSignedOut={() => void refresh()} />;
}

render(<App />, document.getElementById('app')!);
