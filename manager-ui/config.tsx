import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import QRCode from 'qrcode';
import type { CalendarEntry } from '../protocol/calendar.js';
import { pairingUrl } from '../protocol/constants.js';
import type { DeviceView } from '../protocol/devices.js';
import type { HallView } from '../protocol/halls.js';
import type { ServiceView } from '../protocol/services.js';
import type { StaffView } from '../protocol/staff.js';
import type { WindowView } from '../protocol/windows.js';
import { api } from '../ui-shared/api.js';
import { errorText } from '../ui-shared/errors.js';
import { type Key, nameOf, t, useLang } from '../ui-shared/i18n/index.js';

type Section = 'services' | 'windows' | 'staff' | 'devices' | 'settings' | 'calendar';
const SECTIONS: Section[] = ['services', 'windows', 'staff', 'devices', 'settings', 'calendar'];

function Field({ label, children }: { label: string; children: ComponentChildren }) {
  return <label class="field"><span>{label}</span>{children}</label>;
}

/** Runs a change, then reloads; errors are shown in plain words and the form keeps its input. */
function useAction(reload: () => Promise<unknown>) {
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const run = async (fn: () => Promise<unknown>, done?: string) => {
    setError(null);
    setNotice(null);
    try {
      await fn();
      await reload();
      if (done) setNotice(done);
      return true;
    } catch (err) {
      setError(errorText(err));
      return false;
    }
  };
  const banner = (
    <>
      {error && <div class="error-banner" role="alert">{error}</div>}
      {notice && <div class="notice-banner" data-testid="notice">{notice}</div>}
    </>
  );
  return { run, banner, setNotice };
}

function Services({ hallId }: { hallId: number }) {
  const [rows, setRows] = useState<ServiceView[]>([]);
  const empty = { id: 0, code: '', nameZh: '', nameEn: '', prefix: '', expectedMinutes: '10', dailyQuota: '', cutoff: '0', active: true };
  const [form, setForm] = useState(empty);
  const load = () => api<ServiceView[]>('GET', `/halls/${hallId}/services`).then(setRows);
  const { run, banner } = useAction(load);
  useEffect(() => void load(), [hallId]);
  const body = () => ({
    code: form.code, nameZh: form.nameZh, nameEn: form.nameEn, prefix: form.prefix.toUpperCase(),
    expectedMinutes: Number(form.expectedMinutes), dailyQuota: form.dailyQuota === '' ? null : Number(form.dailyQuota), active: form.active,
    issueCutoffMinutes: Number(form.cutoff || 0),
  });
  return (
    <div>
      {banner}
      <form class="cfg-form" onSubmit={(e) => {
        e.preventDefault();
        void run(() => (form.id ? api('PATCH', `/halls/${hallId}/services/${form.id}`, body()) : api('POST', `/halls/${hallId}/services`, body())), t('mgr.cfg.saved'))
          .then((ok) => ok && setForm(empty));
      }}>
        <Field label={t('mgr.cfg.code')}><input name="code" value={form.code} onInput={(e) => setForm({ ...form, code: e.currentTarget.value })} /></Field>
        <Field label={t('mgr.cfg.nameZh')}><input name="nameZh" value={form.nameZh} onInput={(e) => setForm({ ...form, nameZh: e.currentTarget.value })} /></Field>
        <Field label={t('mgr.cfg.nameEn')}><input name="nameEn" value={form.nameEn} onInput={(e) => setForm({ ...form, nameEn: e.currentTarget.value })} /></Field>
        <Field label={t('mgr.cfg.prefix')}><input name="prefix" maxLength={1} value={form.prefix} onInput={(e) => setForm({ ...form, prefix: e.currentTarget.value })} /></Field>
        <Field label={t('mgr.cfg.expected')}><input name="expectedMinutes" type="number" min="1" value={form.expectedMinutes} onInput={(e) => setForm({ ...form, expectedMinutes: e.currentTarget.value })} /></Field>
        <Field label={t('mgr.cfg.quota')}><input name="dailyQuota" type="number" min="1" value={form.dailyQuota} onInput={(e) => setForm({ ...form, dailyQuota: e.currentTarget.value })} /></Field>
        <Field label={t('mgr.cfg.cutoff')}><input name="issueCutoffMinutes" type="number" min="0" max="240" value={form.cutoff} onInput={(e) => setForm({ ...form, cutoff: e.currentTarget.value })} /></Field>
        <Field label={t('mgr.cfg.active')}><input type="checkbox" checked={form.active} onChange={(e) => setForm({ ...form, active: e.currentTarget.checked })} /></Field>
        <button type="submit" class="primary">{form.id ? t('mgr.cfg.save') : t('mgr.cfg.add')}</button>
        {form.id !== 0 && <button type="button" onClick={() => setForm(empty)}>{t('common.cancel')}</button>}
      </form>
      <table>
        <thead><tr><th>{t('mgr.cfg.prefix')}</th><th>{t('mgr.cfg.code')}</th><th>{t('mgr.cfg.nameZh')}</th><th>{t('mgr.cfg.expected')}</th><th>{t('mgr.cfg.quota')}</th><th>{t('mgr.cfg.active')}</th></tr></thead>
        <tbody>
          {rows.map((s) => (
            <tr key={s.id} class="clickable" onClick={() => setForm({ id: s.id, code: s.code, nameZh: s.nameZh, nameEn: s.nameEn, prefix: s.prefix, expectedMinutes: String(s.expectedMinutes), dailyQuota: s.dailyQuota === null ? '' : String(s.dailyQuota), cutoff: String(s.issueCutoffMinutes), active: s.active })}>
              <td><b class="prefix">{s.prefix}</b></td><td>{s.code}</td><td>{nameOf(s)}</td><td class="num">{s.expectedMinutes}</td><td class="num">{s.dailyQuota ?? '—'}</td><td>{s.active ? '✓' : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Windows({ hallId }: { hallId: number }) {
  const [rows, setRows] = useState<WindowView[]>([]);
  const [services, setServices] = useState<ServiceView[]>([]);
  const empty = { id: 0, number: '', kind: 'comprehensive' as WindowView['kind'], specialPurpose: '', tiers: '', active: true };
  const [form, setForm] = useState(empty);
  const load = () => Promise.all([api<WindowView[]>('GET', `/halls/${hallId}/windows`).then(setRows), api<ServiceView[]>('GET', `/halls/${hallId}/services`).then(setServices)]);
  const { run, banner } = useAction(load);
  useEffect(() => void load(), [hallId]);
  const prefixOf = (id: number) => services.find((s) => s.id === id)?.prefix ?? '?';
  const tiersText = (tiers: number[][]) => tiers.map((tier) => tier.map(prefixOf).join(',')).join(';');
  const parseTiers = () => form.tiers.split(';').map((tier) => tier.split(',').map((p) => p.trim().toUpperCase()).filter(Boolean)
    .map((p) => services.find((s) => s.prefix === p)?.id ?? -1)).filter((tier) => tier.length > 0);
  const body = () => ({ number: form.number, kind: form.kind, specialPurpose: form.kind === 'special' ? form.specialPurpose || null : null, tiers: parseTiers(), active: form.active });
  return (
    <div>
      {banner}
      <form class="cfg-form" onSubmit={(e) => {
        e.preventDefault();
        void run(() => (form.id ? api('PATCH', `/halls/${hallId}/windows/${form.id}`, body()) : api('POST', `/halls/${hallId}/windows`, body())), t('mgr.cfg.saved'))
          .then((ok) => ok && setForm(empty));
      }}>
        <Field label={t('mgr.cfg.number')}><input name="number" value={form.number} onInput={(e) => setForm({ ...form, number: e.currentTarget.value })} /></Field>
        <Field label={t('mgr.cfg.kind')}>
          <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.currentTarget.value as WindowView['kind'] })}>
            {(['comprehensive', 'domain', 'special'] as const).map((k) => <option key={k} value={k}>{t(`kind.${k}` as Key)}</option>)}
          </select>
        </Field>
        {form.kind === 'special' && (
          <Field label={t('mgr.cfg.purpose')}>
            <select value={form.specialPurpose} onChange={(e) => setForm({ ...form, specialPurpose: e.currentTarget.value })}>
              <option value="">—</option>
              {(['green_channel', 'one_thing', 'cross_province', 'complaint'] as const).map((p) => <option key={p} value={p}>{t(`purpose.${p}` as Key)}</option>)}
            </select>
          </Field>
        )}
        {form.kind !== 'comprehensive' && <Field label={t('mgr.cfg.tiers')}><input value={form.tiers} onInput={(e) => setForm({ ...form, tiers: e.currentTarget.value })} /></Field>}
        <Field label={t('mgr.cfg.active')}><input type="checkbox" checked={form.active} onChange={(e) => setForm({ ...form, active: e.currentTarget.checked })} /></Field>
        <button type="submit" class="primary">{form.id ? t('mgr.cfg.save') : t('mgr.cfg.add')}</button>
        {form.id !== 0 && <button type="button" onClick={() => setForm(empty)}>{t('common.cancel')}</button>}
      </form>
      <table>
        <thead><tr><th>{t('mgr.cfg.number')}</th><th>{t('mgr.cfg.kind')}</th><th>{t('mgr.cfg.tiers').split('（')[0]!.split(' (')[0]}</th><th>{t('mgr.owner')}</th><th>{t('mgr.cfg.active')}</th></tr></thead>
        <tbody>
          {rows.map((w) => (
            <tr key={w.id} class="clickable" onClick={() => setForm({ id: w.id, number: w.number, kind: w.kind, specialPurpose: w.specialPurpose ?? '', tiers: tiersText(w.tiers), active: w.active })}>
              <td>{w.number}</td>
              <td>{t(`kind.${w.kind}` as Key)}{w.specialPurpose ? ` · ${t(`purpose.${w.specialPurpose}` as Key)}` : ''}</td>
              <td>{w.kind === 'comprehensive' ? '*' : tiersText(w.tiers)}</td>
              <td>{w.staffName ?? '—'}</td>
              <td>{w.active ? '✓' : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Staff({ hallId }: { hallId: number }) {
  const [rows, setRows] = useState<StaffView[]>([]);
  const [form, setForm] = useState({ username: '', displayName: '', role: 'clerk' as 'clerk' | 'manager' });
  const load = () => api<StaffView[]>('GET', `/halls/${hallId}/staff`).then(setRows);
  const { run, banner, setNotice } = useAction(load);
  useEffect(() => void load(), [hallId]);
  const showPassword = (r: { staff: StaffView; password: string }) => setNotice(t('mgr.cfg.newPassword', { name: r.staff.displayName, password: r.password }));
  return (
    <div>
      {banner}
      <form class="cfg-form" onSubmit={(e) => {
        e.preventDefault();
        let created: { staff: StaffView; password: string } | null = null;
        void run(async () => (created = await api('POST', `/halls/${hallId}/staff`, form))).then((ok) => {
          if (ok && created) {
            showPassword(created);
            setForm({ username: '', displayName: '', role: 'clerk' });
          }
        });
      }}>
        <Field label={t('mgr.cfg.username')}><input name="username" value={form.username} onInput={(e) => setForm({ ...form, username: e.currentTarget.value })} /></Field>
        <Field label={t('mgr.cfg.displayName')}><input name="displayName" value={form.displayName} onInput={(e) => setForm({ ...form, displayName: e.currentTarget.value })} /></Field>
        <Field label={t('mgr.cfg.role')}>
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.currentTarget.value as 'clerk' | 'manager' })}>
            <option value="clerk">{t('role.clerk')}</option><option value="manager">{t('role.manager')}</option>
          </select>
        </Field>
        <button type="submit" class="primary">{t('mgr.cfg.add')}</button>
      </form>
      <table>
        <thead><tr><th>{t('mgr.cfg.username')}</th><th>{t('mgr.cfg.displayName')}</th><th>{t('mgr.cfg.role')}</th><th /></tr></thead>
        <tbody>
          {rows.map((s) => (
            <tr key={s.id} class={s.disabled ? 'muted' : ''}>
              <td>{s.username}</td><td>{s.displayName}</td>
              <td>
                {s.role === 'admin' ? t('role.admin') : (
                  <select value={s.role} onChange={(e) => void run(() => api('PATCH', `/halls/${hallId}/staff/${s.id}`, { role: e.currentTarget.value }))}>
                    <option value="clerk">{t('role.clerk')}</option><option value="manager">{t('role.manager')}</option>
                  </select>
                )}
              </td>
              <td class="row-actions">
                <button type="button" onClick={() => {
                  let r: { staff: StaffView; password: string } | null = null;
                  void run(async () => (r = await api('POST', `/halls/${hallId}/staff/${s.id}/reset-password`))).then((ok) => ok && r && showPassword(r));
                }}>{t('mgr.cfg.resetPassword')}</button>
                <button type="button" onClick={() => void run(() => api('PATCH', `/halls/${hallId}/staff/${s.id}`, { disabled: !s.disabled }))}>
                  {s.disabled ? t('mgr.cfg.enable') : t('mgr.cfg.disable')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Devices({ hallId, timeZone }: { hallId: number; timeZone: string }) {
  const [rows, setRows] = useState<DeviceView[]>([]);
  const [windows, setWindows] = useState<WindowView[]>([]);
  const [form, setForm] = useState({ kind: 'kiosk' as DeviceView['kind'], name: '', windowId: '' });
  const [pairing, setPairing] = useState<{ url: string; qr: string } | null>(null);
  const load = () => Promise.all([api<DeviceView[]>('GET', `/halls/${hallId}/devices`).then(setRows), api<WindowView[]>('GET', `/halls/${hallId}/windows`).then(setWindows)]);
  const { run, banner } = useAction(load);
  useEffect(() => void load(), [hallId]);
  return (
    <div>
      {banner}
      {pairing && (
        <div class="notice-banner pairing">
          <div><b>{t('mgr.cfg.pairing')}</b><code data-testid="pairing">{pairing.url}</code></div>
          <div class="pairing-qr" data-testid="pairing-qr" dangerouslySetInnerHTML={{ __html: pairing.qr }} />
        </div>
      )}
      <form class="cfg-form" onSubmit={(e) => {
        e.preventDefault();
        let created: { device: DeviceView; token: string } | null = null;
        const body = { kind: form.kind, name: form.name, windowId: form.kind === 'evaluator' && form.windowId ? Number(form.windowId) : null };
        void run(async () => (created = await api('POST', `/halls/${hallId}/devices`, body))).then((ok) => {
          if (!ok || !created) return;
          // A QR code, so a kiosk or tablet with a camera can open its link without typing it.
          const url = pairingUrl(location.origin, created.device.kind, created.token);
          void QRCode.toString(url, { type: 'svg', margin: 1 }).then((qr) => setPairing({ url, qr }));
        });
      }}>
        <Field label={t('mgr.cfg.deviceKind')}>
          <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.currentTarget.value as DeviceView['kind'] })}>
            {(['kiosk', 'display', 'evaluator'] as const).map((k) => <option key={k} value={k}>{t(`device.${k}` as Key)}</option>)}
          </select>
        </Field>
        <Field label={t('mgr.cfg.deviceName')}><input name="deviceName" value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} /></Field>
        {form.kind === 'evaluator' && (
          <Field label={t('mgr.windows')}>
            <select value={form.windowId} onChange={(e) => setForm({ ...form, windowId: e.currentTarget.value })}>
              <option value="">—</option>
              {windows.map((w) => <option key={w.id} value={w.id}>{t('counter.window', { n: w.number })}</option>)}
            </select>
          </Field>
        )}
        <button type="submit" class="primary">{t('mgr.cfg.add')}</button>
      </form>
      <table>
        <thead><tr><th>{t('mgr.cfg.deviceName')}</th><th>{t('mgr.cfg.deviceKind')}</th><th>{t('mgr.cfg.lastSeen')}</th><th /></tr></thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.id} class={d.revokedAt ? 'muted' : ''}>
              <td>{d.name}</td>
              <td>{t(`device.${d.kind}` as Key)}{d.windowId ? ` · ${t('counter.window', { n: windows.find((w) => w.id === d.windowId)?.number ?? '' })}` : ''}</td>
              <td>{d.lastSeenAt ? new Date(d.lastSeenAt).toLocaleString('zh-CN', { timeZone, hour12: false }) : '—'}</td>
              <td>{d.revokedAt ? t('mgr.cfg.revoked') : <button type="button" class="danger" onClick={() => void run(() => api('POST', `/halls/${hallId}/devices/${d.id}/revoke`))}>{t('mgr.cfg.revoke')}</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Settings({ hall, onSaved }: { hall: HallView; onSaved: (h: HallView) => void }) {
  const s = hall.settings;
  const [form, setForm] = useState({
    slaTargetWaitMinutes: String(s.slaTargetWaitMinutes), recallLimit: String(s.recallLimit), agingMinutes: String(s.agingMinutes),
    announcementTemplate: s.announcementTemplate, announcementRepeat: String(s.announcementRepeat), displayNotice: s.displayNotice,
    verifyWorkingDays: String(s.verifyWorkingDays), rectifyWorkingDays: String(s.rectifyWorkingDays), evaluationPeriodDays: String(s.evaluationPeriodDays),
    hours: hall.openingHours.map((h) => `${h.weekday} ${h.open}-${h.close}`).join('\n'),
  });
  const [requireTwoFactor, setRequireTwoFactor] = useState(s.requireTwoFactor);
  const { run, banner } = useAction(async () => undefined);
  const num = (k: keyof typeof form) => Number(form[k]);
  const field = (k: keyof typeof form, label: Key, type = 'number') => (
    <Field label={t(label)}><input name={k} type={type} value={form[k]} onInput={(e) => setForm({ ...form, [k]: e.currentTarget.value })} /></Field>
  );
  return (
    <div>
      {banner}
      <form class="cfg-form settings" onSubmit={(e) => {
        e.preventDefault();
        const openingHours = form.hours.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
          const [weekday, span] = l.split(/\s+/);
          const [open, close] = (span ?? '').split('-');
          return { weekday: Number(weekday), open: open ?? '', close: close ?? '' };
        });
        void run(async () => onSaved(await api<HallView>('PATCH', `/halls/${hall.id}`, {
          openingHours,
          settings: {
            slaTargetWaitMinutes: num('slaTargetWaitMinutes'), recallLimit: num('recallLimit'), agingMinutes: num('agingMinutes'),
            announcementTemplate: form.announcementTemplate, announcementRepeat: num('announcementRepeat'), displayNotice: form.displayNotice,
            verifyWorkingDays: num('verifyWorkingDays'), rectifyWorkingDays: num('rectifyWorkingDays'), evaluationPeriodDays: num('evaluationPeriodDays'),
            requireTwoFactor,
          },
        })), t('mgr.cfg.saved'));
      }}>
        {field('slaTargetWaitMinutes', 'mgr.cfg.slaTarget')}
        {field('recallLimit', 'mgr.cfg.recallLimit')}
        {field('agingMinutes', 'mgr.cfg.aging')}
        {field('announcementRepeat', 'mgr.cfg.repeat')}
        {field('verifyWorkingDays', 'mgr.cfg.verifyDays')}
        {field('rectifyWorkingDays', 'mgr.cfg.rectifyDays')}
        {field('evaluationPeriodDays', 'mgr.cfg.evalDays')}
        {field('announcementTemplate', 'mgr.cfg.template', 'text')}
        {field('displayNotice', 'mgr.cfg.notice', 'text')}
        <Field label={t('mgr.cfg.hours')}><textarea rows={7} value={form.hours} onInput={(e) => setForm({ ...form, hours: e.currentTarget.value })} /></Field>
        <label class="check"><input type="checkbox" name="requireTwoFactor" checked={requireTwoFactor} onChange={(e) => setRequireTwoFactor(e.currentTarget.checked)} /> {t('mgr.cfg.requireTwoFactor')}</label>
        <button type="submit" class="primary">{t('mgr.cfg.save')}</button>
      </form>
    </div>
  );
}

/** 法定节假日 and 调休 for a year, imported as the published list (one day per line). */
function Calendar({ hallId, businessDay }: { hallId: number; businessDay: string }) {
  const [year, setYear] = useState(Number(businessDay.slice(0, 4)));
  const [text, setText] = useState('');
  const load = async () => {
    const r = await api<{ days: CalendarEntry[] }>('GET', `/halls/${hallId}/calendar/${year}`);
    setText(r.days.map((d) => [d.day, d.kind, d.name, d.hoursOfWeekday ?? ''].join(' ').trim()).join('\n'));
  };
  const { run, banner } = useAction(load);
  useEffect(() => void run(async () => undefined), [hallId, year]);
  return (
    <div>
      {banner}
      <form class="cfg-form calendar" onSubmit={(e) => {
        e.preventDefault();
        const days = text.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
          const [day = '', kind = '', name = '', weekday] = l.split(/\s+/);
          return { day, kind, name, hoursOfWeekday: weekday ? Number(weekday) : null };
        });
        void run(() => api('PUT', `/halls/${hallId}/calendar/${year}`, { days }), t('mgr.cfg.calendarSaved'));
      }}>
        <Field label={t('mgr.cfg.year')}><input name="year" type="number" min="2000" max="2099" value={year} onInput={(e) => setYear(Number(e.currentTarget.value))} /></Field>
        <p class="hint" id="calendar-hint">{t('mgr.cfg.calendarHint')}</p>
        <Field label={t('mgr.cfg.calendar')}><textarea name="calendar" rows={14} aria-describedby="calendar-hint" value={text} onInput={(e) => setText(e.currentTarget.value)} placeholder={`${year}-10-01 holiday 国庆节\n${year}-10-11 workday 国庆调休 1`} /></Field>
        <button type="submit" class="primary">{t('mgr.cfg.save')}</button>
      </form>
    </div>
  );
}

export function Config({ hall, onHallChanged }: { hall: HallView; onHallChanged: (h: HallView) => void }) {
  useLang();
  const [section, setSection] = useState<Section>('services');
  return (
    <section class="panel">
      <div class="tabs small">
        {SECTIONS.map((s) => <button type="button" key={s} class={s === section ? 'on' : ''} data-testid={`cfg-${s}`} onClick={() => setSection(s)}>{t(`mgr.cfg.${s}` as Key)}</button>)}
      </div>
      {section === 'services' && <Services hallId={hall.id} />}
      {section === 'windows' && <Windows hallId={hall.id} />}
      {section === 'staff' && <Staff hallId={hall.id} />}
      {section === 'devices' && <Devices hallId={hall.id} timeZone={hall.timezone} />}
      {section === 'settings' && <Settings hall={hall} onSaved={onHallChanged} />}
      {section === 'calendar' && <Calendar hallId={hall.id} businessDay={hall.businessDay} />}
    </section>
  );
}
