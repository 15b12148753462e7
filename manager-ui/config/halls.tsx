import { useEffect, useState } from 'preact/hooks';
import type { HallLevel, HallView } from '../../protocol/halls.js';
import { api } from '../../ui-shared/api.js';
import { type Key, t } from '../../ui-shared/i18n/index.js';
import { Field, Fields, useAction } from './shared.js';

const LEVELS: HallLevel[] = ['district', 'street', 'community'];

/** The admin's list of halls as a tree: create a hall under another, rename it or move it. */
export function Halls() {
  const [halls, setHalls] = useState<HallView[]>([]);
  const empty = { id: 0, name: '', level: 'street' as HallLevel, parentId: '', copyFrom: '' };
  const [form, setForm] = useState(empty);
  const load = () => api('GET /halls').then(setHalls);
  const { run, banner, fields } = useAction(load);
  useEffect(() => void load(), []);
  const ordered: (HallView & { depth: number })[] = [];
  const walk = (parentId: number | null, depth: number) => {
    for (const h of halls.filter((x) => x.parentId === parentId)) {
      ordered.push({ ...h, depth });
      walk(h.id, depth + 1);
    }
  };
  walk(null, 0);
  const body = () => ({ name: form.name, level: form.level, parentId: form.parentId === '' ? null : Number(form.parentId) });
  // A new hall may start from another's services, windows, hours and settings.
  const created = () => ({ ...body(), ...(form.copyFrom ? { copyFrom: Number(form.copyFrom) } : {}) });
  return (
    <Fields errors={fields}>
      {banner}
      <form class="cfg-form" onSubmit={(e) => {
        e.preventDefault();
        void run(() => (form.id ? api('PATCH /halls/:hallId', { hallId: form.id }, body()) : api('POST /halls', created())), t('mgr.cfg.saved'))
          .then((ok) => ok && setForm(empty));
      }}>
        <Field label={t('mgr.cfg.hallName')}><input name="name" value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} /></Field>
        <Field label={t('mgr.cfg.level')}>
          <select name="level" value={form.level} onChange={(e) => setForm({ ...form, level: e.currentTarget.value as HallLevel })}>
            {LEVELS.map((l) => <option key={l} value={l}>{t(`level.${l}` as Key)}</option>)}
          </select>
        </Field>
        <Field label={t('mgr.cfg.parent')}>
          <select name="parentId" value={form.parentId} onChange={(e) => setForm({ ...form, parentId: e.currentTarget.value })}>
            <option value="">—</option>
            {ordered.filter((h) => h.id !== form.id).map((h) => <option key={h.id} value={h.id}>{'　'.repeat(h.depth)}{h.name}</option>)}
          </select>
        </Field>
        {form.id === 0 && (
          <Field label={t('mgr.cfg.copyFrom')}>
            <select name="copyFrom" value={form.copyFrom} onChange={(e) => setForm({ ...form, copyFrom: e.currentTarget.value })}>
              <option value="">{t('mgr.cfg.copyNothing')}</option>
              {ordered.map((h) => <option key={h.id} value={h.id}>{'　'.repeat(h.depth)}{h.name}</option>)}
            </select>
          </Field>
        )}
        <button type="submit" class="primary">{form.id ? t('mgr.cfg.save') : t('mgr.cfg.add')}</button>
        {form.id !== 0 && <button type="button" onClick={() => setForm(empty)}>{t('common.cancel')}</button>}
      </form>
      <table data-testid="halls">
        <thead><tr><th>{t('mgr.cfg.hallName')}</th><th>{t('mgr.cfg.level')}</th></tr></thead>
        <tbody>
          {ordered.map((h) => (
            <tr key={h.id}>
              <td style={{ paddingLeft: `${0.6 + h.depth * 1.4}em` }}>
                <button type="button" class="row-open" aria-label={t('mgr.cfg.editRow', { name: h.name })} onClick={() => setForm({ id: h.id, name: h.name, level: h.level, parentId: h.parentId === null ? '' : String(h.parentId), copyFrom: '' })}>{h.name}</button>
              </td>
              <td>{t(`level.${h.level}` as Key)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Fields>
  );
}
