import { useEffect, useState } from 'preact/hooks';
import type { ServiceView } from '../../protocol/services.js';
import { api } from '../../ui-shared/api.js';
import { Field, Fields, useAction } from './shared.js';
import { nameOf, t } from '../../ui-shared/i18n/index.js';

export function Services({ hallId }: { hallId: number }) {
  const [rows, setRows] = useState<ServiceView[]>([]);
  const empty = { id: 0, code: '', nameZh: '', nameEn: '', prefix: '', expectedMinutes: '10', dailyQuota: '', cutoff: '0', bookingDaysAhead: '0', slotMinutes: '30', slotCapacity: '2', active: true, materials: '', conditions: '', onlinePerHour: '0' };
  const [form, setForm] = useState(empty);
  const load = () => api('GET /halls/:hallId/services', { hallId }).then(setRows);
  const { run, banner, fields } = useAction(load);
  useEffect(() => void load(), [hallId]);
  const body = () => ({
    code: form.code, nameZh: form.nameZh, nameEn: form.nameEn, prefix: form.prefix.toUpperCase(),
    expectedMinutes: Number(form.expectedMinutes), dailyQuota: form.dailyQuota === '' ? null : Number(form.dailyQuota), active: form.active,
    issueCutoffMinutes: Number(form.cutoff || 0),
    bookingDaysAhead: Number(form.bookingDaysAhead || 0), slotMinutes: Number(form.slotMinutes), slotCapacity: Number(form.slotCapacity),
    // One material a line, with its note (原件/复印件); blank lines are dropped.
    materials: form.materials.split('\n').map((l) => l.trim()).filter(Boolean), conditions: form.conditions.trim(),
    onlinePerHour: Number(form.onlinePerHour || 0),
  });
  return (
    <Fields errors={fields}>
      {banner}
      <form class="cfg-form" onSubmit={(e) => {
        e.preventDefault();
        void run(() => (form.id ? api('PATCH /halls/:hallId/services/:serviceId', { hallId, serviceId: form.id }, body()) : api('POST /halls/:hallId/services', { hallId }, body())), t('mgr.cfg.saved'))
          .then((ok) => ok && setForm(empty));
      }}>
        <Field label={t('mgr.cfg.code')}><input name="code" value={form.code} onInput={(e) => setForm({ ...form, code: e.currentTarget.value })} /></Field>
        <Field label={t('mgr.cfg.nameZh')}><input name="nameZh" value={form.nameZh} onInput={(e) => setForm({ ...form, nameZh: e.currentTarget.value })} /></Field>
        <Field label={t('mgr.cfg.nameEn')}><input name="nameEn" value={form.nameEn} onInput={(e) => setForm({ ...form, nameEn: e.currentTarget.value })} /></Field>
        <Field label={t('mgr.cfg.prefix')}><input name="prefix" maxLength={1} value={form.prefix} onInput={(e) => setForm({ ...form, prefix: e.currentTarget.value })} /></Field>
        <Field label={t('mgr.cfg.expected')}><input name="expectedMinutes" type="number" min="1" value={form.expectedMinutes} onInput={(e) => setForm({ ...form, expectedMinutes: e.currentTarget.value })} /></Field>
        <Field label={t('mgr.cfg.quota')}><input name="dailyQuota" type="number" min="1" value={form.dailyQuota} onInput={(e) => setForm({ ...form, dailyQuota: e.currentTarget.value })} /></Field>
        <Field label={t('mgr.cfg.cutoff')}><input name="issueCutoffMinutes" type="number" min="0" max="240" value={form.cutoff} onInput={(e) => setForm({ ...form, cutoff: e.currentTarget.value })} /></Field>
        <Field label={t('mgr.cfg.bookingDays')}><input name="bookingDaysAhead" type="number" min="0" max="60" value={form.bookingDaysAhead} onInput={(e) => setForm({ ...form, bookingDaysAhead: e.currentTarget.value })} /></Field>
        <Field label={t('mgr.cfg.slotMinutes')}><input name="slotMinutes" type="number" min="5" max="240" value={form.slotMinutes} onInput={(e) => setForm({ ...form, slotMinutes: e.currentTarget.value })} /></Field>
        <Field label={t('mgr.cfg.slotCapacity')}><input name="slotCapacity" type="number" min="1" max="200" value={form.slotCapacity} onInput={(e) => setForm({ ...form, slotCapacity: e.currentTarget.value })} /></Field>
        <Field label={t('mgr.cfg.onlinePerHour')}><input name="onlinePerHour" type="number" min="0" max="500" value={form.onlinePerHour} onInput={(e) => setForm({ ...form, onlinePerHour: e.currentTarget.value })} /></Field>
        <Field label={t('mgr.cfg.active')}><input name="active" type="checkbox" checked={form.active} onChange={(e) => setForm({ ...form, active: e.currentTarget.checked })} /></Field>
        <Field label={t('mgr.cfg.materials')}>
          <textarea name="materials" rows={4} placeholder="居民身份证 原件" value={form.materials} onInput={(e) => setForm({ ...form, materials: e.currentTarget.value })} />
        </Field>
        <Field label={t('mgr.cfg.conditions')}>
          <input name="conditions" value={form.conditions} onInput={(e) => setForm({ ...form, conditions: e.currentTarget.value })} />
        </Field>
        <button type="submit" class="primary">{form.id ? t('mgr.cfg.save') : t('mgr.cfg.add')}</button>
        {form.id !== 0 && <button type="button" onClick={() => setForm(empty)}>{t('common.cancel')}</button>}
      </form>
      <table>
        <thead><tr><th>{t('mgr.cfg.prefix')}</th><th>{t('mgr.cfg.code')}</th><th>{t('mgr.cfg.nameZh')}</th><th>{t('mgr.cfg.expected')}</th><th>{t('mgr.cfg.quota')}</th><th>{t('mgr.cfg.booking')}</th><th>{t('mgr.cfg.active')}</th><th>{t('mgr.cfg.materialsCount')}</th></tr></thead>
        <tbody>
          {rows.map((s) => (
            <tr key={s.id} class="clickable" onClick={() => setForm({ id: s.id, code: s.code, nameZh: s.nameZh, nameEn: s.nameEn, prefix: s.prefix, expectedMinutes: String(s.expectedMinutes), dailyQuota: s.dailyQuota === null ? '' : String(s.dailyQuota), cutoff: String(s.issueCutoffMinutes), bookingDaysAhead: String(s.bookingDaysAhead), slotMinutes: String(s.slotMinutes), slotCapacity: String(s.slotCapacity), active: s.active, materials: s.materials.join('\n'), conditions: s.conditions, onlinePerHour: String(s.onlinePerHour) })}>
              <td><button type="button" class="row-open" aria-label={t('mgr.cfg.editRow', { name: nameOf(s) })}><b class="prefix">{s.prefix}</b></button></td><td>{s.code}</td><td>{nameOf(s)}</td><td class="num">{s.expectedMinutes}</td><td class="num">{s.dailyQuota ?? '—'}</td><td>{s.bookingDaysAhead > 0 ? t('mgr.cfg.bookingSummary', { days: s.bookingDaysAhead, minutes: s.slotMinutes, n: s.slotCapacity }) : '—'}</td><td>{s.active ? '✓' : '—'}</td><td class="num">{s.materials.length || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Fields>
  );
}
