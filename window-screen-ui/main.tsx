import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { DeviceSelf } from '../protocol/devices.js';
import type { WindowScreenView } from '../protocol/window-screen.js';
import { api, raw } from '../ui-shared/api.js';
import { ConnectionOverlay } from '../ui-shared/components.js';
import { pairedToken } from '../ui-shared/device.js';
import { mountDevicePage } from '../ui-shared/device-page.js';
import { debounce, useFeed } from '../ui-shared/feed.js';
import { type Key, nameOf, t, useLang } from '../ui-shared/i18n/index.js';
import '../ui-shared/base.css';
import './window-screen.css';

/** The staff member's photo, fetched with the device's token (an <img> cannot send it). */
function usePhoto(hallId: number, staff: WindowScreenView['staff']): string | null {
  const [url, setUrl] = useState<string | null>(null);
  const id = staff?.hasPhoto ? staff.id : null;
  useEffect(() => {
    if (id === null) return setUrl(null);
    let made: string | null = null;
    let stopped = false;
    raw('GET', `/halls/${hallId}/staff/${id}/photo`).then((res) => res.blob()).then((blob) => {
      if (stopped) return;
      made = URL.createObjectURL(blob);
      setUrl(made);
    }, () => !stopped && setUrl(null));
    return () => {
      stopped = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [hallId, id]);
  return url;
}

/**
 * 窗口屏: the screen above one window (800×480 or a 1280×400 bar), read from a few metres: the
 * window and what it handles, the number called or being served, its state, and the staff member
 * on duty as the hall publishes them (工作人员公示).
 */
function WindowScreen({ self }: { self: DeviceSelf }) {
  useLang();
  const [view, setView] = useState<WindowScreenView | null>(null);
  const fetchView = useCallback(async () => setView(await api('GET /window-screen/current')), []);
  const load = useCallback(async (serverLastSeq: number) => {
    await fetchView();
    return { lastSeq: serverLastSeq };
  }, [fetchView]);
  const refresh = useMemo(() => debounce(() => void fetchView().catch(() => undefined), 200), [fetchView]);
  const status = useFeed({ auth: { token: pairedToken()! }, load, onEvent: refresh });
  const photo = usePhoto(self.hall.id, view?.staff ?? null);
  if (!view) return <div class="loading">{t('common.loading')}</div>;
  const { window: w, current, staff } = view;
  const state = current ? null : w.state === 'paused' ? t('ws.paused', { reason: t(`pause.${w.pauseReason ?? 'other'}` as Key) }) : w.state === 'closed' ? t('ws.closed') : t('ws.idle');

  return (
    <div class={`ws ${w.state}`} data-testid="window-screen">
      <header class="ws-head">
        <div class="ws-number" data-testid="ws-window">{t('ws.window', { n: w.number })}</div>
        <div class="ws-services" data-testid="ws-services">{t('ws.handles')}{w.services.length ? w.services.map((s) => nameOf(s)).join('、') : '—'}</div>
      </header>
      <main class="ws-main" aria-live="polite">
        {current ? (
          <>
            <div class="ws-label">{current.status === 'called' ? t('ws.calling') : t('ws.serving')}</div>
            <div class="ws-ticket" data-testid="ws-ticket">{current.displayNumber}</div>
          </>
        ) : <div class="ws-state" data-testid="ws-state">{state}</div>}
      </main>
      <aside class="ws-staff" data-testid="ws-staff" aria-label={t('ws.onDuty')}>
        {staff ? (
          <>
            <div class="ws-photo">{photo ? <img src={photo} alt={t('ws.photoOf', { name: staff.name })} data-testid="ws-photo" /> : <span aria-hidden="true">{staff.name.slice(0, 1)}</span>}</div>
            <div class="ws-name" data-testid="ws-name">{staff.name}</div>
            <div class="ws-facts">
              <div data-testid="ws-staff-number">{t('ws.staffNumber')} {staff.staffNumber ?? '—'}</div>
              <div data-testid="ws-good-rate">{staff.goodRate === null ? t('ws.noRatings') : t('ws.goodRate', { rate: staff.goodRate })}</div>
            </div>
          </>
        ) : <div class="ws-nobody">{t('ws.nobody')}</div>}
      </aside>
      <ConnectionOverlay status={status} />
    </div>
  );
}

mountDevicePage('window_screen', 'ws.unpaired', (self) => <WindowScreen self={self} />);
