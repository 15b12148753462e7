import { render } from 'preact';
import { useCsrfToken } from '../ui-shared/api.js';
import { AccountSetup, setupNeeded } from '../ui-shared/account.js';
import { Login } from '../ui-shared/login.js';
import { useStaffSession } from '../ui-shared/staff-session.js';
import { t, useLang } from '../ui-shared/i18n/index.js';
import { Counter } from './counter.js';
import { WindowPicker } from './window-picker.js';
import '../ui-shared/base.css';
import './counter.css';

function App() {
  useLang();
  const { session, hall, refresh } = useStaffSession();

  if (session === undefined) return null;
  if (session && setupNeeded(session)) return <AccountSetup session={session} title={t('counter.signIn')} onDone={() => void refresh()} />;
  if (session === null || !hall) return <Login title={t('counter.signIn')} onSession={(s) => { useCsrfToken(s.csrfToken); void refresh(); }} />;
  // A helper calls no one: their page is the tablet.
  if (session.staff.role === 'helper') return <div class="overlay"><div class="overlay-box">{t('error.ROLE_FORBIDDEN')} <a href="/helper">/helper</a></div></div>;
  if (session.windowId === null) return <WindowPicker hallId={hall.id} onPicked={() => void refresh()} onSignedOut={() => void refresh()} />;
  return <Counter session={session} hall={hall} onSignedOut={() => void refresh()} />;
}

render(<App />, document.getElementById('app')!);
