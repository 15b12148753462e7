import { useEffect, useState } from 'preact/hooks';
import type { StaffView } from '../../protocol/staff.js';
import { api, raw } from '../../ui-shared/api.js';
import { STAFF_PHOTO_TYPES } from '../../protocol/constants.js';
import { Field, Fields, useAction } from './shared.js';
import { SkillsDialog } from './skills-dialog.js';
import { t } from '../../ui-shared/i18n/index.js';

/** The roles a hall's own staff may have (an admin belongs to no hall). */
const HALL_ROLES = ['clerk', 'helper', 'manager'] as const;
type HallRole = (typeof HALL_ROLES)[number];

export function Staff({ hallId, admin, meId }: { hallId: number; admin: boolean; meId: number }) {
  const [rows, setRows] = useState<StaffView[]>([]);
  const [form, setForm] = useState({ username: '', displayName: '', role: 'clerk' as HallRole, staffNumber: '' });
  const [skillsOf, setSkillsOf] = useState<StaffView | null>(null);
  const load = () => api('GET /halls/:hallId/staff', { hallId }).then(setRows);
  const { run, banner, setNotice, fields } = useAction(load);
  useEffect(() => void load(), [hallId]);
  const showPassword = (r: { staff: StaffView; password: string }) => setNotice(t('mgr.cfg.newPassword', { name: r.staff.displayName, password: r.password }));
  return (
    <Fields errors={fields}>
      {banner}
      <form class="cfg-form" onSubmit={(e) => {
        e.preventDefault();
        let created: { staff: StaffView; password: string } | null = null;
        const { staffNumber, ...rest } = form;
        void run(async () => (created = await api('POST /halls/:hallId/staff', { hallId }, { ...rest, ...(staffNumber.trim() ? { staffNumber: staffNumber.trim() } : {}) }))).then((ok) => {
          if (ok && created) {
            showPassword(created);
            setForm({ username: '', displayName: '', role: 'clerk', staffNumber: '' });
          }
        });
      }}>
        <Field label={t('mgr.cfg.username')}><input name="username" value={form.username} onInput={(e) => setForm({ ...form, username: e.currentTarget.value })} /></Field>
        <Field label={t('mgr.cfg.displayName')}><input name="displayName" value={form.displayName} onInput={(e) => setForm({ ...form, displayName: e.currentTarget.value })} /></Field>
        <Field label={t('mgr.cfg.staffNumber')}><input name="staffNumber" value={form.staffNumber} onInput={(e) => setForm({ ...form, staffNumber: e.currentTarget.value })} /></Field>
        <Field label={t('mgr.cfg.role')}>
          <select name="role" value={form.role} onChange={(e) => setForm({ ...form, role: e.currentTarget.value as HallRole })}>
            {HALL_ROLES.map((r) => <option key={r} value={r}>{t(`role.${r}`)}</option>)}
          </select>
        </Field>
        <button type="submit" class="primary">{t('mgr.cfg.add')}</button>
      </form>
      <table>
        <thead><tr><th>{t('mgr.cfg.username')}</th><th>{t('mgr.cfg.displayName')}</th><th>{t('mgr.cfg.staffNumber')}</th><th>{t('mgr.cfg.role')}</th><th>{t('mgr.cfg.photo')}</th><th /></tr></thead>
        <tbody>
          {rows.map((s) => (
            <tr key={s.id} class={s.disabled ? 'muted' : ''}>
              <td>{s.username}</td><td>{s.displayName}</td>
              <td>
                <input
                  class="narrow" aria-label={t('mgr.cfg.staffNumberOf', { name: s.displayName })} defaultValue={s.staffNumber ?? ''} data-testid={`staff-number-${s.username}`}
                  onChange={(e) => void run(() => api('PATCH /halls/:hallId/staff/:staffId', { hallId, staffId: s.id }, { staffNumber: e.currentTarget.value.trim() || null }), t('mgr.cfg.saved'))}
                />
              </td>
              <td>
                {s.role === 'admin' ? t('role.admin') : (
                  <select aria-label={t('mgr.cfg.roleOf', { name: s.displayName })} value={s.role} onChange={(e) => void run(() => api('PATCH /halls/:hallId/staff/:staffId', { hallId, staffId: s.id }, { role: e.currentTarget.value as HallRole }))}>
                    {HALL_ROLES.map((r) => <option key={r} value={r}>{t(`role.${r}`)}</option>)}
                  </select>
                )}
              </td>
              <td class="row-actions">
                {s.hasPhoto && <span class="pill good">{t('mgr.cfg.hasPhoto')}</span>}
                <label class="file-button">
                  {t('mgr.cfg.photoUpload')}
                  <input
                    type="file" accept={STAFF_PHOTO_TYPES.join(',')} data-testid={`photo-${s.username}`} aria-label={t('mgr.cfg.photoOf', { name: s.displayName })}
                    onChange={(e) => {
                      const file = e.currentTarget.files?.[0];
                      e.currentTarget.value = '';
                      if (file) void run(() => raw('PUT', `/halls/${hallId}/staff/${s.id}/photo`, file), t('mgr.cfg.photoSaved'));
                    }}
                  />
                </label>
                {s.hasPhoto && <button type="button" onClick={() => void run(() => raw('DELETE', `/halls/${hallId}/staff/${s.id}/photo`), t('mgr.cfg.photoRemoved'))}>{t('mgr.cfg.photoRemove')}</button>}
              </td>
              <td class="row-actions">
                <button type="button" data-testid={`skills-${s.username}`} onClick={() => setSkillsOf(s)}>
                  {t('mgr.cfg.skills')}{s.skills?.length ? ` (${s.skills.length})` : ''}
                </button>
                {/* One's own password is changed under 账户与安全; a manager's is reset by the admin. */}
                {s.id !== meId && (admin || (s.role !== 'manager' && s.role !== 'admin')) && (
                  <button type="button" onClick={() => {
                    let r: { staff: StaffView; password: string } | null = null;
                    void run(async () => (r = await api('POST /halls/:hallId/staff/:staffId/reset-password', { hallId, staffId: s.id }))).then((ok) => ok && r && showPassword(r));
                  }}>{t('mgr.cfg.resetPassword')}</button>
                )}
                <button type="button" onClick={() => void run(() => api('PATCH /halls/:hallId/staff/:staffId', { hallId, staffId: s.id }, { disabled: !s.disabled }))}>
                  {s.disabled ? t('mgr.cfg.enable') : t('mgr.cfg.disable')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {skillsOf && (
        <SkillsDialog hallId={hallId} person={skillsOf} onClose={() => setSkillsOf(null)} onSaved={() => {
          setSkillsOf(null);
          void run(async () => undefined, t('mgr.cfg.saved'));
        }} />
      )}
    </Fields>
  );
}
