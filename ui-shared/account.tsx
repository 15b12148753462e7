import QRCode from 'qrcode';
import { useState } from 'preact/hooks';
import type { SessionView } from '../protocol/auth.js';
import { api, ApiError } from './api.js';
import { Emblem, LangSwitch } from './components.js';
import { errorText } from './errors.js';
import { t, useLang } from './i18n/index.js';
import './login.css';

/** A form's submit with one busy flag and the error in plain words. */
function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function submit(work: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(err instanceof ApiError ? errorText(err) : err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, setError, submit };
}

/** Change one's own password: forced at first sign-in, or chosen from the account page. */
export function ChangePassword({ onDone, forced }: { onDone: (s: SessionView) => void; forced?: boolean }) {
  useLang();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const { busy, error, setError, submit } = useSubmit();
  return (
    <form class="account-form" data-testid="change-password" onSubmit={(e) => {
      e.preventDefault();
      if (next !== repeat) {
        setError(t('account.mismatch'));
        return;
      }
      void submit(async () => {
        try {
          onDone(await api('POST /auth/password', { currentPassword: current, newPassword: next }));
        } catch (err) {
          // The reason in the person's language rather than the API's field list.
          if (err instanceof ApiError && err.code === 'VALIDATION_FAILED') throw new Error(t('account.weak'));
          throw err;
        }
        setCurrent('');
        setNext('');
        setRepeat('');
      });
    }}>
      <h2>{t(forced ? 'account.forcedTitle' : 'account.passwordTitle')}</h2>
      {forced && <p>{t('account.forcedHint')}</p>}
      <label>{t('account.current')}<input name="current" type="password" autocomplete="current-password" value={current} onInput={(e) => setCurrent(e.currentTarget.value)} required /></label>
      <label>{t('account.new')}<input name="new" type="password" autocomplete="new-password" minLength={12} value={next} onInput={(e) => setNext(e.currentTarget.value)} required aria-describedby="pw-rule" /></label>
      <label>{t('account.repeat')}<input name="repeat" type="password" autocomplete="new-password" value={repeat} onInput={(e) => setRepeat(e.currentTarget.value)} required /></label>
      <p id="pw-rule" class="hint">{t('account.rule')}</p>
      {error && <div class="error-banner" role="alert">{error}</div>}
      <button type="submit" class="primary" disabled={busy}>{t('account.save')}</button>
    </form>
  );
}

/** Set up an authenticator app: scan, confirm with a code, keep the recovery codes. */
export function TwoFactorSetup({ onDone }: { onDone: () => void }) {
  useLang();
  const [setup, setSetup] = useState<{ secret: string; qr: string } | null>(null);
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const { busy, error, submit } = useSubmit();
  if (codes) {
    return (
      <div class="account-form" data-testid="recovery-codes">
        <h2>{t('account.codesTitle')}</h2>
        <p>{t('account.codesHint')}</p>
        <ol class="codes">{codes.map((c) => <li key={c}><code>{c}</code></li>)}</ol>
        <button type="button" class="primary" onClick={onDone}>{t('account.codesDone')}</button>
      </div>
    );
  }
  if (!setup) {
    return (
      <div class="account-form">
        <h2>{t('account.tfaTitle')}</h2>
        <p>{t('account.tfaHint')}</p>
        {error && <div class="error-banner" role="alert">{error}</div>}
        <button type="button" class="primary" disabled={busy} data-testid="tfa-start" onClick={() => void submit(async () => {
          const s = await api('POST /auth/two-factor/setup');
          setSetup({ secret: s.secret, qr: await QRCode.toString(s.uri, { type: 'svg', margin: 1 }) });
        })}>{t('account.tfaStart')}</button>
      </div>
    );
  }
  return (
    <form class="account-form" onSubmit={(e) => {
      e.preventDefault();
      void submit(async () => setCodes((await api('POST /auth/two-factor/confirm', { code })).codes));
    }}>
      <h2>{t('account.tfaTitle')}</h2>
      <p>{t('account.tfaScan')}</p>
      {/* The SVG is made here from the otpauth:// URI by the qrcode library, not from the network. */}
      <div class="tfa-qr" role="img" aria-label={t('account.tfaQr')} dangerouslySetInnerHTML={{ __html: setup.qr }} />
      <p class="hint">{t('account.tfaManual')} <code data-testid="tfa-secret">{setup.secret}</code></p>
      <label>{t('account.tfaCode')}<input name="code" inputMode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" value={code} onInput={(e) => setCode(e.currentTarget.value)} required /></label>
      {error && <div class="error-banner" role="alert">{error}</div>}
      <button type="submit" class="primary" disabled={busy}>{t('account.tfaConfirm')}</button>
    </form>
  );
}

/**
 * What a signed-in person must do before working: replace a password someone else set, then set
 * up the second factor when the hall requires it.
 */
export function AccountSetup({ session, onDone, title }: { session: SessionView; onDone: () => void; title: string }) {
  useLang();
  return (
    <div class="login-page">
      <div class="login account-setup">
        <div class="login-head"><Emblem /><h1>{title}</h1></div>
        {session.mustChangePassword
          ? <ChangePassword forced onDone={onDone} />
          : <TwoFactorSetup onDone={onDone} />}
        <div class="login-foot"><LangSwitch /></div>
      </div>
    </div>
  );
}

export const setupNeeded = (s: SessionView) => s.mustChangePassword || s.twoFactor.setupRequired;

/**
 * Signing out of the counter or manager page. A sign-out that did not reach the server is said,
 * not pretended (the session would stay valid); an already-ended session just leaves.
 */
export async function signOut(onSignedOut: () => void, onError: (message: string) => void): Promise<void> {
  try {
    await api('POST /auth/logout');
    onSignedOut();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) onSignedOut();
    else onError(errorText(err));
  }
}
