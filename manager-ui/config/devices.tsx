import { useEffect, useState } from 'preact/hooks';
import QRCode from 'qrcode';
import { deviceKinds, OPTIONAL_WINDOW_DEVICE_KINDS, pairingUrl, WINDOW_DEVICE_KINDS } from '../../protocol/constants.js';

/** Evaluators and keypads belong to a window; an LED strip may. */
const pairsWindow = (kind: DeviceView['kind']) => WINDOW_DEVICE_KINDS.includes(kind) || OPTIONAL_WINDOW_DEVICE_KINDS.includes(kind);
import type { DeviceView } from '../../protocol/devices.js';
import type { WindowView } from '../../protocol/windows.js';
import { api } from '../../ui-shared/api.js';
import { Field, Fields, useAction } from './shared.js';
import { type Key, t } from '../../ui-shared/i18n/index.js';

export function Devices({ hallId, timeZone }: { hallId: number; timeZone: string }) {
  const [rows, setRows] = useState<DeviceView[]>([]);
  const [windows, setWindows] = useState<WindowView[]>([]);
  const [form, setForm] = useState({ kind: 'kiosk' as DeviceView['kind'], name: '', windowId: '' });
  const [pairing, setPairing] = useState<{ url: string; qr: string } | null>(null);
  const load = () => Promise.all([api('GET /halls/:hallId/devices', { hallId }).then(setRows), api('GET /halls/:hallId/windows', { hallId }).then(setWindows)]);
  const { run, banner, fields } = useAction(load);
  useEffect(() => void load(), [hallId]);
  return (
    <Fields errors={fields}>
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
        const body = { kind: form.kind, name: form.name, windowId: pairsWindow(form.kind) && form.windowId ? Number(form.windowId) : null };
        void run(async () => (created = await api('POST /halls/:hallId/devices', { hallId }, body))).then((ok) => {
          if (!ok || !created) return;
          // A QR code, so a kiosk or tablet with a camera can open its link without typing it.
          const url = pairingUrl(location.origin, created.device.kind, created.token);
          void QRCode.toString(url, { type: 'svg', margin: 1 }).then((qr) => setPairing({ url, qr }));
        });
      }}>
        <Field label={t('mgr.cfg.deviceKind')}>
          <select name="kind" value={form.kind} onChange={(e) => setForm({ ...form, kind: e.currentTarget.value as DeviceView['kind'] })}>
            {deviceKinds.map((k) => <option key={k} value={k}>{t(`device.${k}` as Key)}</option>)}
          </select>
        </Field>
        <Field label={t('mgr.cfg.deviceName')}><input name="name" value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} /></Field>
        {pairsWindow(form.kind) && (
          <Field label={t('mgr.windows')}>
            <select name="windowId" value={form.windowId} onChange={(e) => setForm({ ...form, windowId: e.currentTarget.value })}>
              <option value="">{OPTIONAL_WINDOW_DEVICE_KINDS.includes(form.kind) ? t('mgr.cfg.wholeHall') : '—'}</option>
              {windows.map((w) => <option key={w.id} value={w.id}>{t('counter.window', { n: w.number })}</option>)}
            </select>
          </Field>
        )}
        <button type="submit" class="primary">{t('mgr.cfg.add')}</button>
      </form>
      <table>
        <thead><tr><th>{t('mgr.cfg.deviceName')}</th><th>{t('mgr.cfg.deviceKind')}</th><th>{t('mgr.cfg.lastSeen')}</th><th>{t('mgr.cfg.sound')}</th><th /></tr></thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.id} class={d.revokedAt ? 'muted' : ''}>
              <td>{d.name}</td>
              <td>{t(`device.${d.kind}` as Key)}{d.windowId ? ` · ${t('counter.window', { n: windows.find((w) => w.id === d.windowId)?.number ?? '' })}` : ''}</td>
              <td>{d.lastSeenAt ? new Date(d.lastSeenAt).toLocaleString('zh-CN', { timeZone, hour12: false }) : '—'}</td>
              <td data-testid={`sound-${d.id}`}>{d.kind !== 'display' ? '' : d.sound === null ? t('mgr.cfg.soundUnknown')
                : !d.sound.allowed ? <span class="pill mid">{t('mgr.cfg.soundNeedsTap')}</span>
                  : !d.sound.chineseVoice ? <span class="pill mid">{t('mgr.cfg.noChineseVoice')}</span>
                    : <span class="pill good">{t('mgr.cfg.soundOk')}</span>}</td>
              <td>{d.revokedAt ? t('mgr.cfg.revoked') : <button type="button" class="danger" onClick={() => void run(() => api('POST /halls/:hallId/devices/:deviceId/revoke', { hallId, deviceId: d.id }))}>{t('mgr.cfg.revoke')}</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Fields>
  );
}
