import { useEffect, useState } from 'preact/hooks';
import type { WindowView } from '../protocol/windows.js';
import { signOut } from '../ui-shared/account.js';
import { api } from '../ui-shared/api.js';
import { Emblem, LangSwitch } from '../ui-shared/components.js';
import { errorText } from '../ui-shared/errors.js';
import { lang, t, useLang } from '../ui-shared/i18n/index.js';

/** The clerk's first screen after signing in: which window they sit at today. */
export function WindowPicker({ hallId, onPicked, onSignedOut }: { hallId: number; onPicked: () => void; onSignedOut: () => void }) {
  useLang();
  const [windows, setWindows] = useState<WindowView[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api('GET /halls/:hallId/windows', { hallId }).then(setWindows).catch((err: unknown) => setError(errorText(err)));
  }, [hallId]);
  async function pick(w: WindowView) {
    try {
      await api('POST /halls/:hallId/windows/:windowId/sign-in', { hallId, windowId: w.id });
      onPicked();
    } catch (err) {
      setError(errorText(err));
    }
  }
  return (
    <main class="picker">
      <header class="picker-bar">
        <Emblem />
        <h1>{t('counter.pickWindow')}</h1>
        <LangSwitch />
        <button type="button" class="link" data-testid="picker-logout" onClick={() => void signOut(onSignedOut, setError)}>{t('counter.logout')}</button>
      </header>
      {error && <div class="error-banner" role="alert">{error}</div>}
      <div class="picker-grid">
        {windows.filter((w) => w.active).map((w) => (
          <button type="button" key={w.id} class="pick" disabled={w.staffId !== null} onClick={() => void pick(w)} data-testid={`window-${w.number}`}>
            <strong>{t('counter.window', { n: w.number })}</strong>
            <small>{w.staffName ? t('counter.windowTaken', { name: w.staffName }) : kindLabel(w)}</small>
          </button>
        ))}
      </div>
    </main>
  );
}

function kindLabel(w: WindowView): string {
  const zh = { comprehensive: '无差别综合窗口', domain: '分领域综合窗口', special: '专窗' };
  const en = { comprehensive: 'Comprehensive', domain: 'Domain window', special: 'Special window' };
  return (lang() === 'zh' ? zh : en)[w.kind];
}

