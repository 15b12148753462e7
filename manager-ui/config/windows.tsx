import { useEffect, useState } from 'preact/hooks';
import type { ServiceView } from '../../protocol/services.js';
import type { WindowView } from '../../protocol/windows.js';
import { api } from '../../ui-shared/api.js';
import { Field, Fields, hoursText, parseHours, useAction } from './shared.js';
import { TierEditor } from './tier-editor.js';
import { type Key, t } from '../../ui-shared/i18n/index.js';

export function Windows({ hallId }: { hallId: number }) {
  const [rows, setRows] = useState<WindowView[]>([]);
  const [services, setServices] = useState<ServiceView[]>([]);
  const empty = { id: 0, number: '', kind: 'comprehensive' as WindowView['kind'], specialPurpose: '' as NonNullable<WindowView['specialPurpose']> | '', tiers: [] as number[][], active: true, dutyHours: '' };
  const [form, setForm] = useState(empty);
  const load = () => Promise.all([api('GET /halls/:hallId/windows', { hallId }).then(setRows), api('GET /halls/:hallId/services', { hallId }).then(setServices)]);
  const { run, banner, fields } = useAction(load);
  useEffect(() => void load(), [hallId]);
  const prefixOf = (id: number) => services.find((s) => s.id === id)?.prefix ?? '?';
  const tiersText = (tiers: number[][]) => tiers.map((tier, i) => `${t('mgr.cfg.tierN', { n: i + 1 })} ${tier.map(prefixOf).join('、')}`).join('；');
  const body = () => ({ number: form.number, kind: form.kind, specialPurpose: form.kind === 'special' ? form.specialPurpose || null : null, tiers: form.kind === 'comprehensive' ? [] : form.tiers, active: form.active, dutyHours: parseHours(form.dutyHours) });
  return (
    <Fields errors={fields}>
      {banner}
      <form class="cfg-form" onSubmit={(e) => {
        e.preventDefault();
        void run(() => (form.id ? api('PATCH /halls/:hallId/windows/:windowId', { hallId, windowId: form.id }, body()) : api('POST /halls/:hallId/windows', { hallId }, body())), t('mgr.cfg.saved'))
          .then((ok) => ok && setForm(empty));
      }}>
        <Field label={t('mgr.cfg.number')}><input name="number" value={form.number} onInput={(e) => setForm({ ...form, number: e.currentTarget.value })} /></Field>
        <Field label={t('mgr.cfg.kind')}>
          <select name="kind" value={form.kind} onChange={(e) => setForm({ ...form, kind: e.currentTarget.value as WindowView['kind'] })}>
            {(['comprehensive', 'domain', 'special'] as const).map((k) => <option key={k} value={k}>{t(`kind.${k}` as Key)}</option>)}
          </select>
        </Field>
        {form.kind === 'special' && (
          <Field label={t('mgr.cfg.purpose')}>
            <select name="specialPurpose" value={form.specialPurpose} onChange={(e) => setForm({ ...form, specialPurpose: e.currentTarget.value as typeof form.specialPurpose })}>
              <option value="">—</option>
              {(['green_channel', 'one_thing', 'cross_province', 'complaint'] as const).map((p) => <option key={p} value={p}>{t(`purpose.${p}` as Key)}</option>)}
            </select>
          </Field>
        )}
        {form.kind !== 'comprehensive' && <TierEditor services={services} tiers={form.tiers} onChange={(tiers) => setForm({ ...form, tiers })} />}
        <Field label={t('mgr.cfg.active')}><input name="active" type="checkbox" checked={form.active} onChange={(e) => setForm({ ...form, active: e.currentTarget.checked })} /></Field>
        <Field label={t('mgr.cfg.dutyHours')}>
          <textarea name="dutyHours" rows={3} placeholder="1 12:00-13:30" value={form.dutyHours} onInput={(e) => setForm({ ...form, dutyHours: e.currentTarget.value })} />
        </Field>
        <button type="submit" class="primary">{form.id ? t('mgr.cfg.save') : t('mgr.cfg.add')}</button>
        {form.id !== 0 && <button type="button" onClick={() => setForm(empty)}>{t('common.cancel')}</button>}
      </form>
      <table>
        <thead><tr><th>{t('mgr.cfg.number')}</th><th>{t('mgr.cfg.kind')}</th><th>{t('mgr.cfg.tiersTitle')}</th><th>{t('mgr.owner')}</th><th>{t('mgr.cfg.active')}</th><th>{t('mgr.cfg.dutyTitle')}</th></tr></thead>
        <tbody>
          {rows.map((w) => (
            <tr key={w.id} class="clickable" onClick={() => setForm({ id: w.id, number: w.number, kind: w.kind, specialPurpose: w.specialPurpose ?? '', tiers: w.tiers, active: w.active, dutyHours: hoursText(w.dutyHours) })}>
              <td><button type="button" class="row-open" aria-label={t('mgr.cfg.editRow', { name: w.number })}>{w.number}</button></td>
              <td>{t(`kind.${w.kind}` as Key)}{w.specialPurpose ? ` · ${t(`purpose.${w.specialPurpose}` as Key)}` : ''}</td>
              <td>{w.kind === 'comprehensive' ? '*' : tiersText(w.tiers)}</td>
              <td>{w.staffName ?? '—'}</td>
              <td>{w.active ? '✓' : '—'}</td>
              <td>{w.dutyHours.length === 0 ? '—' : w.dutyHours.map((h) => `${t(`weekday.${h.weekday}` as Key)} ${h.open}–${h.close}`).join('；')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Fields>
  );
}
