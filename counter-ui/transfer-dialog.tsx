import { useEffect, useState } from 'preact/hooks';
import type { QueueSnapshot } from '../protocol/queue.js';
import { servedElsewhere } from '../protocol/serving.js';
import type { WindowView } from '../protocol/windows.js';
import { api } from '../ui-shared/api.js';
import { errorText } from '../ui-shared/errors.js';
import { Dialog } from '../ui-shared/dialog.js';
import { nameOf, t, useLang } from '../ui-shared/i18n/index.js';

/** 转办: to another service and/or window, with a reason. */
export function TransferDialog(props: {
  hallId: number; snapshot: QueueSnapshot; currentServiceId: number; ownWindowId: number;
  onCancel: () => void; onSubmit: (body: { serviceId?: number; windowId?: number; reason?: string }) => void;
}) {
  useLang();
  const [serviceId, setServiceId] = useState('');
  const [windowId, setWindowId] = useState('');
  const [reason, setReason] = useState('');
  const ready = serviceId !== '' || windowId !== '';
  const sentFor = serviceId === '' ? props.currentServiceId : Number(serviceId);
  const [windows, setWindows] = useState<WindowView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void api('GET /halls/:hallId/windows', { hallId: props.hallId }).then(setWindows, (err: unknown) => setError(errorText(err))), [props.hallId]);
  // 叫号 here passes a transferred citizen over, unless no other window in use serves the service.
  const onlyHere = serviceId !== '' && windowId === '' && windows !== null && !servedElsewhere(windows, props.ownWindowId, Number(serviceId));
  return (
    <Dialog label={t('counter.transferTo')} onClose={props.onCancel} testId="transfer-dialog">
      <form class="dialog-form" onSubmit={(e) => {
        e.preventDefault();
        if (!ready) return;
        props.onSubmit({
          ...(serviceId ? { serviceId: Number(serviceId) } : {}),
          ...(windowId ? { windowId: Number(windowId) } : {}),
          ...(reason.trim() ? { reason: reason.trim() } : {}),
        });
      }}>
        <h2>{t('counter.transferTo')}</h2>
        <label>{t('counter.toService')}
          <select value={serviceId} onChange={(e) => setServiceId(e.currentTarget.value)} data-testid="transfer-service">
            <option value="">{t('counter.keep')}</option>
            {props.snapshot.services.filter((s) => s.active && s.serviceId !== props.currentServiceId).map((s) => (
              <option key={s.serviceId} value={s.serviceId}>{s.prefix} {nameOf(s)}</option>
            ))}
          </select>
        </label>
        <label>{t('counter.toWindow')}
          <select value={windowId} onChange={(e) => setWindowId(e.currentTarget.value)}>
            <option value="">{t('counter.keep')}</option>
            {/* 授权事项: only windows whose clerk may handle what the citizen is sent for. */}
            {props.snapshot.windows.filter((w) => w.windowId !== props.ownWindowId && (w.staffSkills === null || w.staffSkills.includes(sentFor))).map((w) => (
              <option key={w.windowId} value={w.windowId}>{t('counter.window', { n: w.number })}</option>
            ))}
          </select>
        </label>
        {onlyHere && <p class="note" role="status" data-testid="only-here">{t('counter.onlyHere')}</p>}
        {error && <p class="error-banner" role="alert">{error}</p>}
        <label>{t('counter.reason')}<input value={reason} maxLength={200} onInput={(e) => setReason(e.currentTarget.value)} /></label>
        <div class="dialog-actions">
          <button type="button" class="ghost" onClick={props.onCancel}>{t('common.cancel')}</button>
          <button type="submit" class="primary" disabled={!ready}>{t('counter.transfer')}</button>
        </div>
      </form>
    </Dialog>
  );
}

