import { type ComponentChildren, render } from 'preact';
import type { DeviceSelf } from '../protocol/devices.js';
import type { DeviceKind } from '../protocol/enums.js';
import { useDeviceSelf, usePairingLinks } from './device.js';
import { type Key, t, useLang } from './i18n/index.js';

/**
 * The shell of a device's page (kiosk, display, evaluator): waits for the device and its hall,
 * says plainly when the device is not paired, then shows the page.
 */
function DevicePage({ kind, unpairedText, page }: { kind: DeviceKind; unpairedText: Key; page: (self: DeviceSelf) => ComponentChildren }) {
  useLang();
  usePairingLinks();
  const { self, unpaired } = useDeviceSelf();
  if (unpaired) return <div class="overlay"><div class="overlay-box" role="alert">{t(unpairedText)}</div></div>;
  if (!self) return <div class="loading">{t('common.loading')}</div>;
  // A display's link opened on the kiosk PC (or the other way round): say so, rather than show a page that fails.
  if (self.device.kind !== kind) {
    return <div class="overlay"><div class="overlay-box" role="alert" data-testid="wrong-kind">{t('device.wrongKind', { kind: t(`device.${self.device.kind}` as Key) })}</div></div>;
  }
  return <>{page(self)}</>;
}

/** Mounts the page of a `kind` of device into `#app`. */
export function mountDevicePage(kind: DeviceKind, unpairedText: Key, page: (self: DeviceSelf) => ComponentChildren): void {
  render(<DevicePage kind={kind} unpairedText={unpairedText} page={page} />, document.getElementById('app')!);
}
