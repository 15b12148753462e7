import { useEffect, useState } from 'preact/hooks';
import type { HallView } from '../protocol/halls.js';
import type { QueueSnapshot } from '../protocol/queue.js';
import type { LiveStats } from '../protocol/stats.js';
import { api } from '../ui-shared/api.js';
import { clockTime } from '../protocol/clock-time.js';
import { errorText } from '../ui-shared/errors.js';
import { type Key, nameOf, t, useLang } from '../ui-shared/i18n/index.js';
import { HallNotice, WindowActions } from './live-actions.js';

const minutes = (v: number | null) => (v === null ? '—' : t('common.minutes', { n: v }));

/** 实时大厅: the hall now, with the manager's live actions (windows from afar, the hall notice). */
export function Live({ hall, version, onHallChanged }: { hall: HallView; version: number; onHallChanged: (h: HallView) => void }) {
  useLang();
  const hallId = hall.id;
  const [reload, setReload] = useState(0);
  const [live, setLive] = useState<LiveStats | null>(null);
  const [snap, setSnap] = useState<QueueSnapshot | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void Promise.all([api('GET /halls/:hallId/stats/live', { hallId }), api('GET /halls/:hallId/queue', { hallId })])
      .then(([l, s]) => {
        setLive(l);
        setSnap(s);
        setError(null);
      }).catch((err: unknown) => setError(errorText(err)));
  }, [hallId, version, reload]);
  if (error && (!live || !snap)) return <div class="error-banner" role="alert">{error}</div>;
  if (!live || !snap) return <p>{t('common.loading')}</p>;
  const late = live.averageWaitTodayMinutes !== null && live.averageWaitTodayMinutes > live.slaTargetMinutes;
  return (
    <div class="live" data-testid="live">
      <div class="cards">
        <div class="stat"><small>{t('mgr.waiting')}</small><b data-testid="live-waiting">{live.waiting}</b></div>
        <div class="stat"><small>{t('mgr.longest')}</small><b>{minutes(live.longestWaitMinutes)}</b></div>
        <div class="stat"><small>{t('mgr.issuedToday')}</small><b>{live.issuedToday}</b></div>
        <div class="stat"><small>{t('mgr.servedToday')}</small><b>{live.servedToday}</b></div>
        <div class={`stat ${late ? 'bad' : 'good'}`}><small>{t('mgr.avgWait')}</small><b>{minutes(live.averageWaitTodayMinutes)}</b><em>{t('mgr.sla', { n: live.slaTargetMinutes })}</em></div>
        <div class="stat"><small>{t('mgr.windows')}</small><b>{live.windowsOpen}</b><em>{t('mgr.paused')} {live.windowsPaused} · {t('mgr.calling')} {live.windowsCalling} · {t('mgr.serving')} {live.windowsServing}</em></div>
      </div>
      {error && <div class="error-banner" role="alert">{error}</div>}
      <StaffingHint staffing={live.staffing} />
      <HallNotice hall={hall} onSaved={onHallChanged} />
      <div class="split">
        <section class="panel">
          <table>
            <thead><tr><th>{t('mgr.service')}</th><th>{t('mgr.waiting')}</th><th>{t('mgr.longest')}</th><th>{t('mgr.issuedToday')}</th><th>{t('mgr.estimate')}</th></tr></thead>
            <tbody>
              {snap.services.map((s) => (
                <tr key={s.serviceId} class={s.active ? '' : 'muted'}>
                  <td><b class="prefix">{s.prefix}</b> {nameOf(s)}</td>
                  <td class="num">{s.waiting}</td>
                  <td class="num">{s.longestWaitMs === null ? '—' : minutes(Math.round(s.longestWaitMs / 6000) / 10)}</td>
                  <td class="num">{s.issuedToday}{s.dailyQuota !== null ? ` / ${s.dailyQuota}` : ''}</td>
                  <td class="num">{s.estimate.estimatedWaitMinutes === null ? '—' : minutes(s.estimate.estimatedWaitMinutes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section class="panel windows-grid">
          {snap.windows.map((w) => (
            <div key={w.windowId} class={`win ${w.state}`}>
              <div class="win-number">{t('counter.window', { n: w.number })}</div>
              <div class="win-staff">{w.staffName ?? t('mgr.closed')}</div>
              <div class="win-ticket">{w.current ? `${w.current.displayNumber} · ${t(`status.${w.current.status}` as Key)}` : w.state === 'paused' ? t('mgr.paused') : ''}</div>
              {w.state === 'paused' && w.pausedAt !== null && (
                <div class="win-pause" data-testid={`paused-${w.number}`}>
                  {t('mgr.pausedSince', { reason: t(`pause.${w.pauseReason ?? 'other'}` as Key), since: clockTime(w.pausedAt, hall.timezone) })}
                </div>
              )}
              <WindowActions hallId={hallId} window={w} onDone={() => setReload((n) => n + 1)} onError={setError} />
            </div>
          ))}
        </section>
      </div>
    </div>
  );
}

const wait = (v: number | null) => (v === null ? t('mgr.hint.noWindow') : minutes(v));

/**
 * 排班提示: per pool, 「建议再开 N 个…窗口」 when the queue now and the hour's expected arrivals would
 * miss the wait target with the windows open, with the figures behind it; else that they hold.
 */
function StaffingHint({ staffing }: { staffing: LiveStats['staffing'] }) {
  if (staffing.pools.length === 0) return null;
  return (
    <section class="panel staffing-hint" aria-labelledby="staffing-hint-title" data-testid="staffing-hint">
      <h3 id="staffing-hint-title">{t('mgr.hint.title', { target: staffing.targetMinutes, goal: staffing.goalPercent })}</h3>
      {staffing.pools.map((p) => {
        const more = p.advised - p.open;
        const kind = t(`kind.${p.pool}` as Key);
        return (
          <div key={p.pool} class={`hint-pool ${more > 0 ? 'short' : 'enough'}`} data-testid={`staffing-hint-${p.pool}`}>
            <b>{more > 0 ? t('mgr.hint.openMore', { n: more, kind }) : t('mgr.hint.enough', { kind, n: p.open })}</b>
            {more > p.closed && <span class="hint-short"> {t('mgr.hint.notEnoughWindows', { n: p.closed })}</span>}
            <p>
              {t('mgr.hint.figures', { waiting: p.waiting, arrivals: p.arrivalsNextHour, handling: p.handlingMinutes, open: p.open })}
              {' '}{t('mgr.hint.withOpen', { now: wait(p.waitNow), later: wait(p.waitInHour), level: p.level ?? '—' })}
              {more > 0 && <>{' '}{t('mgr.hint.withAdvised', { n: p.advised, now: wait(p.waitNowAdvised), later: wait(p.waitInHourAdvised), level: p.levelAdvised ?? '—' })}</>}
            </p>
          </div>
        );
      })}
    </section>
  );
}
