import { useEffect, useState } from 'preact/hooks';
import type { AuditEntry, SessionView } from '../protocol/auth.js';
import { api } from '../ui-shared/api.js';
import { ChangePassword, TwoFactorSetup } from '../ui-shared/account.js';
import { errorText } from '../ui-shared/errors.js';
import { t, useLang } from '../ui-shared/i18n/index.js';

/** The signed-in person's password and second factor; for the admin, the audit log too. */
export function Account({ session, onChanged }: { session: SessionView; onChanged: () => void }) {
  useLang();
  const [notice, setNotice] = useState<string | null>(null);
  const [settingUp, setSettingUp] = useState(false);
  const [password, setPassword] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const tfa = session.twoFactor;
  async function act(work: () => Promise<void>) {
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(errorText(err));
    }
  }
  return (
    <div class="account">
      <section class="card">
        <ChangePassword onDone={() => { setNotice(t('account.saved')); onChanged(); }} />
        {notice && <p role="status" data-testid="account-notice">{notice}</p>}
      </section>
      <section class="card account-form" data-testid="two-factor">
        {settingUp ? <TwoFactorSetup onDone={() => { setSettingUp(false); onChanged(); }} /> : (
          <>
            <h2>{t('account.tfaTitle')}</h2>
            <p>{tfa.enabled ? t('account.tfaOn', { n: tfa.recoveryCodesLeft }) : t('account.tfaOff')}</p>
            {!tfa.enabled && <button type="button" class="primary" onClick={() => setSettingUp(true)}>{t('account.tfaStart')}</button>}
            {tfa.enabled && (
              <>
                {/* Both need the password again: an open session alone must not renew or remove the second factor. */}
                <label>{t('account.passwordToConfirm')}<input type="password" autocomplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} /></label>
                <button type="button" onClick={() => void act(async () => { setCodes((await api('POST /auth/two-factor/recovery-codes', { password })).codes); setPassword(''); })}>{t('account.tfaRenew')}</button>
                {codes && <ol class="codes" data-testid="recovery-codes">{codes.map((c) => <li key={c}><code>{c}</code></li>)}</ol>}
                <button type="button" onClick={() => void act(async () => { await api('POST /auth/two-factor/disable', { password }); setPassword(''); onChanged(); })}>{t('account.tfaDisable')}</button>
              </>
            )}
            {error && <div class="error-banner" role="alert">{error}</div>}
          </>
        )}
      </section>
      {session.staff.role === 'admin' && <AuditLog />}
    </div>
  );
}

function AuditLog() {
  const [rows, setRows] = useState<AuditEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  async function load(before?: number) {
    try {
      const page = await api('GET /audit', { limit: 100, before });
      setRows((old) => (before ? [...old, ...page] : page));
    } catch (err) {
      setError(errorText(err));
    }
  }
  useEffect(() => void load(), []);
  return (
    <section class="card" data-testid="audit-log">
      <h2>{t('account.auditTitle')}</h2>
      {error && <div class="error-banner" role="alert">{error}</div>}
      <table class="grid">
        <thead><tr><th>{t('account.auditWhen')}</th><th>{t('account.auditWho')}</th><th>{t('account.auditWhat')}</th><th>{t('account.auditTarget')}</th><th>{t('account.auditWhere')}</th><th>{t('account.auditDetail')}</th></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>{new Date(r.at).toLocaleString()}</td><td>{r.actor}</td><td>{r.action}</td><td>{r.target ?? ''}</td><td>{r.ip ?? ''}</td>
              <td>{r.detail ? JSON.stringify(r.detail) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > 0 && rows.length % 100 === 0 && <button type="button" onClick={() => void load(rows.at(-1)!.id)}>{t('account.auditMore')}</button>}
    </section>
  );
}
