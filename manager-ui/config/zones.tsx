import { useEffect, useState } from 'preact/hooks';
import type { DeviceView } from '../../protocol/devices.js';
import type { DisplayZone, HallView } from '../../protocol/halls.js';
import type { WindowView } from '../../protocol/windows.js';
import { api } from '../../ui-shared/api.js';
import { t, useLang } from '../../ui-shared/i18n/index.js';
import { Field, Fields, useAction } from './shared.js';

/** Ticks one id in or out of a list. */
const toggle = (ids: number[], id: number, on: boolean) => (on ? [...ids, id] : ids.filter((x) => x !== id));

/**
 * 显示分区: a hall with many windows gives each display a zone (一楼A区, 不动产专区) — the windows it
 * shows and speaks. A display in no zone shows the whole hall. Saved together with 保存.
 */
export function Zones({ hall, onSaved }: { hall: HallView; onSaved: (h: HallView) => void }) {
  useLang();
  const [zones, setZones] = useState<DisplayZone[]>(hall.settings.displayZones);
  const [windows, setWindows] = useState<WindowView[]>([]);
  const [displays, setDisplays] = useState<DeviceView[]>([]);
  const load = () => Promise.all([
    api('GET /halls/:hallId/windows', { hallId: hall.id }).then(setWindows),
    api('GET /halls/:hallId/devices', { hallId: hall.id }).then((d) => setDisplays(d.filter((x) => x.kind === 'display' && x.revokedAt === null))),
  ]);
  const { run, banner, fields } = useAction(load);
  useEffect(() => void load(), [hall.id]);
  const change = (i: number, next: Partial<DisplayZone>) => setZones(zones.map((z, j) => (j === i ? { ...z, ...next } : z)));
  return (
    <Fields errors={fields}>
      {banner}
      <p class="muted">{t('mgr.zones.about')}</p>
      <form class="cfg-form zones" onSubmit={(e) => {
        e.preventDefault();
        void run(async () => onSaved(await api('PATCH /halls/:hallId', { hallId: hall.id }, { settings: { displayZones: zones } })), t('mgr.cfg.saved'));
      }}>
        {zones.map((zone, i) => (
          <fieldset class="zone" key={i} data-testid={`zone-${i}`}>
            <legend>{zone.name || t('mgr.zones.unnamed')}</legend>
            <Field label={t('mgr.zones.name')}>
              <input name={`zone-${i}-name`} value={zone.name} maxLength={40} onInput={(e) => change(i, { name: e.currentTarget.value })} />
            </Field>
            <fieldset class="ticks">
              <legend>{t('mgr.zones.windows')}</legend>
              {windows.map((w) => (
                <label key={w.id} class="tick">
                  <input type="checkbox" name={`zone-${i}-window-${w.number}`} checked={zone.windowIds.includes(w.id)}
                    onChange={(e) => change(i, { windowIds: toggle(zone.windowIds, w.id, e.currentTarget.checked) })} />
                  {t('counter.window', { n: w.number })}
                </label>
              ))}
            </fieldset>
            <fieldset class="ticks">
              <legend>{t('mgr.zones.displays')}</legend>
              {displays.length === 0 && <span class="muted">{t('mgr.zones.noDisplays')}</span>}
              {displays.map((d) => (
                <label key={d.id} class="tick">
                  <input type="checkbox" name={`zone-${i}-display-${d.id}`} checked={zone.displayIds.includes(d.id)}
                    onChange={(e) => change(i, { displayIds: toggle(zone.displayIds, d.id, e.currentTarget.checked) })} />
                  {d.name}
                </label>
              ))}
            </fieldset>
            <button type="button" class="danger" onClick={() => setZones(zones.filter((_, j) => j !== i))}>{t('mgr.zones.remove')}</button>
          </fieldset>
        ))}
        <div class="actions">
          <button type="button" data-testid="zone-add" onClick={() => setZones([...zones, { name: '', windowIds: [], displayIds: [] }])}>{t('mgr.zones.add')}</button>
          <button type="submit" class="primary">{t('mgr.cfg.save')}</button>
        </div>
      </form>
    </Fields>
  );
}
