import { render } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { SessionView } from '../protocol/auth.js';
import type { HallView } from '../protocol/halls.js';
import { api, useCsrfToken } from '../ui-shared/api.js';
import { Clock, Emblem, LangSwitch } from '../ui-shared/components.js';
import { debounce, useFeed } from '../ui-shared/feed.js';
import { type Key, t, useLang } from '../ui-shared/i18n/index.js';
import { AccountSetup, setupNeeded, signOut } from '../ui-shared/account.js';
import { Login } from '../ui-shared/login.js';
import { useStaffSession } from '../ui-shared/staff-session.js';
import { Account } from './account.js';
import { Appointments } from './appointments.js';
import { Config } from './config.js';
import { Cases, Evaluations } from './evaluations.js';
import { History } from './history.js';
import { Live } from './live.js';
import { ReportPublish } from './report-publish.js';
import { FeedPanel } from './feed-panel.js';
import { Tree } from './tree.js';
import '../ui-shared/base.css';
import './manager.css';

const TABS = ['live', 'tree', 'history', 'evaluations', 'cases', 'appointments', 'config', 'account'] as const;
type Tab = (typeof TABS)[number];

function tabFromHash(): Tab {
  const h = location.hash.slice(1);
  return (TABS as readonly string[]).includes(h) ? (h as Tab) : 'live';
}

function Manager({ session, halls, onSignedOut, onSessionChanged }: { session: SessionView; halls: HallView[]; onSignedOut: () => void; onSessionChanged: () => void }) {
  useLang();
  const [hall, setHall] = useState<HallView>(halls[0]!);
  const [tab, setTab] = useState<Tab>(tabFromHash);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const onHash = () => setTab(tabFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  // Any event of the hall may change what is on screen: reload the open view, at most every 300 ms.
  const bump = useMemo(() => debounce(() => setVersion((v) => v + 1), 300), []);
  const load = useCallback(async (serverLastSeq: number) => ({ lastSeq: serverLastSeq }), []);
  const status = useFeed({ auth: session.staff.hallId === null ? { hallId: hall.id } : {}, load, onEvent: bump });

  const [signOutError, setSignOutError] = useState<string | null>(null);
  // 辖区总览 is shown to the managers of a hall that has halls below it.
  const [hasBelow, setHasBelow] = useState(false);
  useEffect(() => void api('GET /halls/:hallId/tree/live', { hallId: hall.id }).then((tree) => setHasBelow(tree.halls.length > 1), () => setHasBelow(false)), [hall.id]);

  return (
    <div class="manager">
      <header class="bar">
        <Emblem />
        <div class="bar-title">
          <strong>{t('mgr.title')}</strong>
          {halls.length > 1 ? (
            <select value={hall.id} onChange={(e) => setHall(halls.find((h) => h.id === Number(e.currentTarget.value))!)}>
              {halls.map((h) => <option key={h.id} value={h.id}>{h.name}</option>)}
            </select>
          ) : <span>{hall.name}</span>}
        </div>
        {status !== 'live' && <span class="conn">{t('conn.discreet')}</span>}
        <Clock timeZone={hall.timezone} />
        <span>{session.staff.displayName}</span>
        <LangSwitch />
        <button type="button" class="link" onClick={() => void signOut(onSignedOut, setSignOutError)}>{t('counter.logout')}</button>
      </header>
      <nav class="tabs">
        {TABS.filter((x) => x !== 'tree' || hasBelow).map((x) => <a key={x} href={`#${x}`} class={x === tab ? 'on' : ''} data-testid={`tab-${x}`}>{t(`mgr.tab.${x}` as Key)}</a>)}
      </nav>
      {signOutError && <div class="error-banner" role="alert">{signOutError}</div>}
      <main>
        {tab === 'live' && <Live hall={hall} version={version} onHallChanged={setHall} />}
        {tab === 'history' && <History hallId={hall.id} timeZone={hall.timezone} />}
        {tab === 'evaluations' && <><ReportPublish hallId={hall.id} /><Evaluations hallId={hall.id} timeZone={hall.timezone} version={version} /><FeedPanel hallId={hall.id} timeZone={hall.timezone} /></>}
        {tab === 'cases' && <Cases hallId={hall.id} timeZone={hall.timezone} version={version} />}
        {tab === 'appointments' && <Appointments hallId={hall.id} timeZone={hall.timezone} version={version} />}
        {tab === 'tree' && <Tree hallId={hall.id} timeZone={hall.timezone} version={version} />}
        {tab === 'config' && <Config hall={hall} admin={session.staff.role === 'admin'} meId={session.staff.id} onHallChanged={setHall} />}
        {tab === 'account' && <Account session={session} onChanged={onSessionChanged} />}
      </main>
    </div>
  );
}

function App() {
  useLang();
  const { session, halls, refresh } = useStaffSession();
  if (session === undefined) return null;
  if (session && setupNeeded(session)) return <AccountSetup session={session} title={t('mgr.signIn')} onDone={() => void refresh()} />;
  if (session === null || halls.length === 0) return <Login title={t('mgr.signIn')} onSession={(s) => { useCsrfToken(s.csrfToken); void refresh(); }} />;
  if (session.staff.role === 'clerk' || session.staff.role === 'helper') {
    const page = session.staff.role === 'clerk' ? '/counter' : '/helper';
    return <div class="overlay"><div class="overlay-box">{t('error.ROLE_FORBIDDEN')} <a href={page}>{page}</a></div></div>;
  }
  return <Manager session={session} halls={halls} onSignedOut={() => void refresh()} onSessionChanged={() => void refresh()} />;
}

render(<App />, document.getElementById('app')!);
