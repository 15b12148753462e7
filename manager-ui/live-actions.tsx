import { useState } from 'preact/hooks';
import type { HallView } from '../protocol/halls.js';
import type { QueueSnapshot } from '../protocol/queue.js';
import { pauseReasons } from '../protocol/constants.js';
import type { PauseReason } from '../protocol/windows.js';
import { api } from '../ui-shared/api.js';
import { errorText } from '../ui-shared/errors.js';
import { type Key, t } from '../ui-shared/i18n/index.js';
import { instantInZone, localInZone } from '../ui-shared/time.js';

type WindowNow = QueueSnapshot['windows'][number];

/**
 * A window from afar (the clerk's terminal failed, or the hall needs the window now): pause it
 * with a reason, resume it, or close it (the clerk is signed out of it; asked twice). Each is on
 * the record under the manager's name.
 */
export function WindowActions({ hallId, window: w, onDone, onError }: { hallId: number; window: WindowNow; onDone: () => void; onError: (m: string) => void }) {
  const [reason, setReason] = useState<PauseReason>('consulting');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  if (w.state === 'closed') return null;
  const at = { hallId, windowId: w.windowId };
  const run = async (send: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await send();
      setConfirming(false);
      onDone();
    } catch (err) {
      onError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="win-actions" role="group" aria-label={t('mgr.live.actionsFor', { n: w.number })} data-testid={`win-actions-${w.number}`}>
      {w.state === 'open' && !w.current && (
        <>
          <select aria-label={t('counter.pauseWhy')} value={reason} onChange={(e) => setReason(e.currentTarget.value as PauseReason)}>
            {pauseReasons.map((r) => <option key={r} value={r}>{t(`pause.${r}` as Key)}</option>)}
          </select>
          <button type="button" disabled={busy} data-testid={`pause-${w.number}`} onClick={() => void run(() => api('POST /halls/:hallId/windows/:windowId/pause', at, { reason }))}>{t('mgr.live.pause')}</button>
        </>
      )}
      {w.state === 'paused' && (
        <button type="button" disabled={busy} data-testid={`resume-${w.number}`} onClick={() => void run(() => api('POST /halls/:hallId/windows/:windowId/resume', at))}>{t('mgr.live.resume')}</button>
      )}
      {confirming ? (
        <button type="button" class="danger" disabled={busy} data-testid={`close-confirm-${w.number}`} onClick={() => void run(() => api('POST /halls/:hallId/windows/:windowId/sign-out', at))}>
          {t('mgr.live.closeConfirm', { n: w.number, clerk: w.staffName ?? '' })}
        </button>
      ) : (
        <button type="button" class="danger" disabled={busy} data-testid={`close-${w.number}`} onClick={() => setConfirming(true)}>{t('mgr.live.close')}</button>
      )}
    </div>
  );
}

/**
 * 通知公告: a line scrolled along the bottom of every display of the hall, until the time set
 * (or until taken down). Saved as the hall's settings, so the change is logged with them.
 */
export function HallNotice({ hall, onSaved }: { hall: HallView; onSaved: (h: HallView) => void }) {
  const { displayNotice, displayNoticeUntil } = hall.settings;
  const [text, setText] = useState(displayNotice);
  const [until, setUntil] = useState(displayNoticeUntil === null ? '' : localInZone(displayNoticeUntil, hall.timezone));
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const save = async (settings: { displayNotice: string; displayNoticeUntil: number | null }, done: string) => {
    setMessage(null);
    try {
      onSaved(await api('PATCH /halls/:hallId', { hallId: hall.id }, { settings }));
      setMessage({ ok: true, text: done });
    } catch (err) {
      setMessage({ ok: false, text: errorText(err) });
    }
  };
  // The displays drop the line at its end time by the server's clock; here it is shown with that time.
  const showing = displayNotice !== '';
  return (
    <section class="panel hall-notice" data-testid="hall-notice">
      <h3>{t('mgr.notice.title')}</h3>
      {showing && (
        <p data-testid="notice-current">{displayNoticeUntil === null ? t('mgr.notice.currentNoEnd', { text: displayNotice })
          : t('mgr.notice.current', { text: displayNotice, until: localInZone(displayNoticeUntil, hall.timezone).replace('T', ' ') })}</p>
      )}
      <form class="row" onSubmit={(e) => {
        e.preventDefault();
        void save({ displayNotice: text.trim(), displayNoticeUntil: until ? instantInZone(until, hall.timezone) : null }, t('mgr.notice.published'));
      }}>
        <label class="field grow"><span>{t('mgr.notice.text')}</span><input name="notice" value={text} maxLength={200} onInput={(e) => setText(e.currentTarget.value)} /></label>
        <label class="field"><span>{t('mgr.notice.until')}</span><input name="until" type="datetime-local" value={until} onInput={(e) => setUntil(e.currentTarget.value)} /></label>
        <button type="submit" class="primary" disabled={!text.trim()}>{t('mgr.notice.publish')}</button>
        {showing && <button type="button" onClick={() => {
          setText('');
          setUntil('');
          void save({ displayNotice: '', displayNoticeUntil: null }, t('mgr.notice.cleared'));
        }}>{t('mgr.notice.clear')}</button>}
      </form>
      {message && <div class={message.ok ? 'notice-banner' : 'error-banner'} role={message.ok ? 'status' : 'alert'} data-testid="notice-message">{message.text}</div>}
    </section>
  );
}
