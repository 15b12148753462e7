import { type ComponentChildren, render } from 'preact';
import type { DeviceSelf } from '../protocol/devices.js';
import { useDeviceSelf } from './device.js';
import { type Key, t, useLang } from './i18n/index.js';

/**
 * The shell of a device's page (kiosk, display, evaluator): waits for the device and its hall,
 * says plainly when the device is not paired, then shows the page.
 */
function DevicePage({ unpairedText, page }: { unpairedText: Key; page: (self: DeviceSelf) => ComponentChildren }) {
  useLang();
  const { self, unpaired } = useDeviceSelf();
  if (unpaired) return <div class="overlay"><div class="overlay-box" role="alert">{t(unpairedText)}</div></div>;
  if (!self) return <div class="loading">{t('common.loading')}</div>;
  return <>{page(self)}</>;
}

/** Mounts a device page into `#app`. */
export function mountDevicePage(unpairedText: Key, page: (self: DeviceSelf) => ComponentChildren): void {
  render(<DevicePage unpairedText={unpairedText} page={page} />, document.getElementById('app')!);
}
