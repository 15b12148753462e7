import { useEffect, useState } from 'preact/hooks';
import type { EvaluationView } from '../protocol/evaluations.js';
import type { ServiceView } from '../protocol/services.js';
import type { StaffView } from '../protocol/staff.js';
import type { WindowView } from '../protocol/windows.js';
import { api } from '../ui-shared/api.js';
import { errorText } from '../ui-shared/errors.js';
import { type Key, nameOf, t } from '../ui-shared/i18n/index.js';

export const when = (ms: number, timeZone: string) => new Date(ms).toLocaleString('zh-CN', { timeZone, hour12: false });

/** Names of the hall's services, windows and staff, for the ratings and cases tables. */
export function useHallNames(hallId: number, onError: (message: string) => void) {
  const [services, setServices] = useState<ServiceView[]>([]);
  const [windows, setWindows] = useState<WindowView[]>([]);
  const [staff, setStaff] = useState<StaffView[]>([]);
  useEffect(() => {
    Promise.all([api('GET /halls/:hallId/services', { hallId }), api('GET /halls/:hallId/windows', { hallId }), api('GET /halls/:hallId/staff', { hallId })])
      .then(([s, w, p]) => {
        setServices(s);
        setWindows(w);
        setStaff(p);
      }, (err: unknown) => onError(errorText(err)));
  }, [hallId]);
  return {
    services, windows, staff,
    service: (id: number) => { const s = services.find((x) => x.id === id); return s ? nameOf(s) : '—'; },
    window: (id: number | null) => windows.find((w) => w.id === id)?.number ?? '—',
    person: (id: number | null) => staff.find((p) => p.id === id)?.displayName ?? '—',
  };
}
export type HallNames = ReturnType<typeof useHallNames>;

export const levelClass = (level: string) => (level === 'dissatisfied' || level === 'very_dissatisfied' ? 'bad' : level === 'basically_satisfied' ? 'mid' : 'good');

/** What the citizen said: the tags they chose and their comment. */
export const saidOf = (e: EvaluationView) => [e.tags.join('、'), e.comment].filter(Boolean).join('：');

/**
 * One rating in full, for a 差评 case: what the citizen chose and wrote, how to reach them for the
 * 回访 (masked for all but managers), who served them where, and the clerk's appeal apart from
 * the ruling on it.
 */
export function RatingFacts({ e, names, timeZone }: { e: EvaluationView; names: HallNames; timeZone: string }) {
  return (
    <dl class="rating-facts" data-testid="rating-facts">
      <dt>{t('mgr.ratedAt')}</dt><dd>{when(e.createdAt, timeZone)} · {t(`mgr.source.${e.source}` as Key)}</dd>
      <dt>{t('mgr.service')}</dt><dd>{names.service(e.serviceId)}</dd>
      <dt>{t('mgr.window')}</dt><dd>{names.window(e.windowId)}</dd>
      <dt>{t('mgr.clerk')}</dt><dd>{names.person(e.staffId)}</dd>
      <dt>{t('mgr.tags')}</dt><dd data-testid="facts-tags">{e.tags.length ? e.tags.join('、') : '—'}</dd>
      <dt>{t('mgr.comment')}</dt><dd data-testid="facts-comment">{e.comment ?? '—'}</dd>
      <dt>{t('mgr.contact')}</dt><dd data-testid="facts-contact">{e.contact ?? t('mgr.noContact')}</dd>
      <dt>{t('mgr.appeal')}</dt><dd data-testid="facts-appeal">{t(`mgr.appealState.${e.appealState}` as Key)}{e.appealReason ? `：${e.appealReason}` : ''}</dd>
      {e.decisionReason && <><dt>{t('mgr.ruling')}</dt><dd data-testid="facts-ruling">{e.decisionReason}</dd></>}
    </dl>
  );
}
