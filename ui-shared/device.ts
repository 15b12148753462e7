import { useEffect, useState } from 'preact/hooks';
import type { DeviceSelf } from '../protocol/devices.js';
import { ApiError, api, useDeviceToken } from './api.js';
import { DEVICE_TOKEN } from '../protocol/constants.js';

const KEY = 'hall.deviceToken';

const tokenInAddress = () => new RegExp(`(?:^#|&)token=(${DEVICE_TOKEN.source.slice(1, -1)})`).exec(location.hash);

/**
 * A pairing link typed into a tab already open on the page changes only the fragment (no page
 * load): the token is taken and the page starts again as that device.
 */
export function usePairingLinks(): void {
  useEffect(() => {
    const onHash = () => {
      if (!tokenInAddress()) return;
      pairedToken();
      location.reload();
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
}

/**
 * A kiosk or display is paired by opening its page once as `/kiosk#token=…` (the fragment never
 * reaches the server or its logs). The token is kept in the browser and removed from the address.
 */
export function pairedToken(): string | null {
  const match = tokenInAddress();
  try {
    if (match) {
      localStorage.setItem(KEY, match[1]!);
      history.replaceState(null, '', location.pathname + location.search);
    }
    return localStorage.getItem(KEY);
  } catch {
    return match?.[1] ?? null; // storage blocked: works until the page reloads
  }
}

/**
 * The device and its hall, once the server answers. A device switched on before the server
 * keeps trying by itself; an unknown or revoked token is final (`unpaired`).
 */
export function useDeviceSelf(): { self: DeviceSelf | null; unpaired: boolean } {
  const [self, setSelf] = useState<DeviceSelf | null>(null);
  const [unpaired, setUnpaired] = useState(false);
  useEffect(() => {
    const token = pairedToken();
    if (!token) {
      setUnpaired(true);
      return;
    }
    useDeviceToken(token);
    let stopped = false;
    const attempt = (delay: number) => {
      api('GET /devices/me')
        .then((s) => !stopped && setSelf(s))
        .catch((err: unknown) => {
          if (err instanceof ApiError && err.status === 401) setUnpaired(true);
          else if (!stopped) setTimeout(() => attempt(Math.min(delay * 2, 10_000)), delay);
        });
    };
    attempt(500);
    return () => void (stopped = true);
  }, []);
  return { self, unpaired };
}
