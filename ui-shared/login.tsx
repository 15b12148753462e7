import { useState } from 'preact/hooks';
import type { SessionView } from '../protocol/auth.js';
import { api, ApiError } from './api.js';
import { Emblem, LangSwitch } from './components.js';
import { errorText } from './errors.js';
import { t, useLang } from './i18n/index.js';
import './login.css';

/** Staff sign-in (counter and manager pages). */
export function Login({ onSession, title }: { onSession: (s: SessionView) => void; title: string }) {
  useLang();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  /** Asked for once the password was right and the account has a second factor. */
  const [otp, setOtp] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSession(await api('POST /auth/login', { username, password, ...(otp ? { otp } : {}) }));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'OTP_REQUIRED') {
        setOtp('');
        return;
      }
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="login-page">
      <form class="login" onSubmit={(e) => void submit(e)}>
        <div class="login-head"><Emblem /><h1>{title}</h1></div>
        <label>{t('counter.username')}<input name="username" autocomplete="username" value={username} onInput={(e) => setUsername(e.currentTarget.value)} required /></label>
        <label>{t('counter.password')}<input name="password" type="password" autocomplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} required /></label>
        {otp !== null && (
          <label>{t('account.otp')}
            <input name="otp" autocomplete="one-time-code" value={otp} onInput={(e) => setOtp(e.currentTarget.value)} required autoFocus aria-describedby="otp-hint" />
            <span id="otp-hint" class="hint">{t('account.otpHint')}</span>
          </label>
        )}
        {error && <div class="error-banner" role="alert">{error}</div>}
        <button type="submit" class="primary" disabled={busy}>{t('counter.login')}</button>
        <div class="login-foot"><LangSwitch /></div>
      </form>
    </div>
  );
}

