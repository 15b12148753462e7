import { useEffect, useState } from 'preact/hooks';
import type { z } from 'zod';
import type { TreeLive, TreeStats } from '../protocol/halls.js';
import { api } from '../ui-shared/api.js';
import { calendarDay as day, figure as fmt } from '../ui-shared/time.js';
import { errorText } from '../ui-shared/errors.js';
import { type Key, t, useLang } from '../ui-shared/i18n/index.js';

/** A hall's name, indented by its depth in the tree. */
const named = (h: { name: string; depth: number; level: string }) => (
  <span style={{ paddingLeft: `${h.depth * 1.4}em` }}>{h.name} <small class="muted">{t(`level.${h.level}` as Key)}</small></span>
);

/**
 * 辖区总览: this hall and every hall below it (街道, 社区), now and over a period, each on its own
 * row and summed. Only this view reaches the halls below; their own pages stay theirs.
 */
export function Tree({ hallId, timeZone, version }: { hallId: number; timeZone: string; version: number }) {
  useLang();
  const [live, setLive] = useState<z.infer<typeof TreeLive> | null>(null);
  const [stats, setStats] = useState<z.infer<typeof TreeStats> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [from] = useState(() => day(Date.now() - 29 * 86_400_000, timeZone));
  const [to] = useState(() => day(Date.now(), timeZone));
  useEffect(() => void api('GET /halls/:hallId/tree/live', { hallId }).then(setLive, (err: unknown) => setError(errorText(err))), [hallId, version]);
  useEffect(() => void api('GET /halls/:hallId/tree/stats', { hallId, from, to }).then(setStats, (err: unknown) => setError(errorText(err))), [hallId]);
  return (
    <div class="tree">
      {error && <div class="error-banner" role="alert">{error}</div>}
      <section class="panel">
        <h3>{t('mgr.tree.now')}</h3>
        {live && (
          <table data-testid="tree-live">
            <thead><tr><th>{t('mgr.tree.hall')}</th><th>{t('mgr.waiting')}</th><th>{t('mgr.longest')}</th><th>{t('mgr.tree.windowsOpen')}</th><th>{t('mgr.issued')}</th><th>{t('mgr.served')}</th></tr></thead>
            <tbody>
              {live.halls.map((h) => (
                <tr key={h.hallId}><td>{named(h)}</td><td class="num">{h.waiting}</td><td class="num">{fmt(h.longestWaitMinutes, ` ${t('mgr.minUnit')}`)}</td><td class="num">{h.windowsOpen}</td><td class="num">{h.issuedToday}</td><td class="num">{h.servedToday}</td></tr>
              ))}
              <tr class="sum"><td>{t('mgr.tree.total')}</td><td class="num">{live.total.waiting}</td><td class="num">{fmt(live.total.longestWaitMinutes, ` ${t('mgr.minUnit')}`)}</td><td class="num">{live.total.windowsOpen}</td><td class="num">{live.total.issuedToday}</td><td class="num">{live.total.servedToday}</td></tr>
            </tbody>
          </table>
        )}
      </section>
      <section class="panel">
        <h3>{t('mgr.tree.period', { from, to })}</h3>
        {stats && (
          <table data-testid="tree-stats">
            <thead><tr><th>{t('mgr.tree.hall')}</th><th>{t('mgr.issued')}</th><th>{t('mgr.served')}</th><th>{t('mgr.waitAvg')}</th><th>{t('mgr.slaPercent')}</th><th>{t('mgr.goodRate')}</th><th>{t('mgr.casesOpened')}</th><th>{t('mgr.casesOverdue')}</th></tr></thead>
            <tbody>
              {[...stats.halls, { hallId: 0, name: t('mgr.tree.total'), depth: 0, level: '', ...stats.total }].map((h) => (
                <tr key={h.hallId} class={h.hallId === 0 ? 'sum' : ''}>
                  <td>{h.hallId === 0 ? h.name : named(h)}</td><td class="num">{h.totals.issued}</td><td class="num">{h.totals.served}</td>
                  <td class="num">{fmt(h.totals.waitAvg, ` ${t('mgr.minUnit')}`)}</td><td class="num">{fmt(h.totals.slaPercent, '%')}</td>
                  <td class="num">{fmt(h.totals.goodRate, '%')}</td><td class="num">{h.casesOpened}</td><td class="num">{h.casesOverdue}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
