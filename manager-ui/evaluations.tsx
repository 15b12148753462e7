import { useEffect, useState } from 'preact/hooks';
import type { EvaluationView } from '../protocol/evaluations.js';
import { evaluationLevels } from '../protocol/evaluations.js';
import { api, type Params } from '../ui-shared/api.js';
import { errorText } from '../ui-shared/errors.js';
import { type Key, t, useLang } from '../ui-shared/i18n/index.js';
import { levelClass, saidOf, useHallNames, when } from './hall-names.js';

export { Cases } from './cases.js';

const PAGE = 50;
type Filter = { level: string; appealState: string; serviceId: string; windowId: string; staffId: string; from: string; to: string; number: string };
const NO_FILTER: Filter = { level: '', appealState: '', serviceId: '', windowId: '', staffId: '', from: '', to: '', number: '' };

/** The query for a filter: empty choices are left out. */
type RatingsQuery = Omit<Params<'GET /halls/:hallId/evaluations'>, 'hallId'>;
function queryOf(f: Filter): RatingsQuery {
  const q: RatingsQuery = {};
  if (f.level) q.level = f.level as EvaluationView['level'];
  if (f.appealState) q.appealState = f.appealState as EvaluationView['appealState'];
  if (f.serviceId) q.serviceId = f.serviceId;
  if (f.windowId) q.windowId = f.windowId;
  if (f.staffId) q.staffId = f.staffId;
  if (f.from) q.from = f.from;
  if (f.to) q.to = f.to;
  if (f.number.trim()) q.displayNumber = f.number.trim();
  return q;
}

/**
 * 好差评: every rating, newest first, a page at a time; filters by level, dates, service, window,
 * clerk and appeal state, and a search by number. The clerk's appeal and the manager's ruling
 * are apart; a pending appeal is ruled on in its row.
 */
export function Evaluations({ hallId, timeZone, version }: { hallId: number; timeZone: string; version: number }) {
  useLang();
  const [rows, setRows] = useState<EvaluationView[]>([]);
  const [more, setMore] = useState(false);
  const [filter, setFilter] = useState<Filter>(NO_FILTER);
  const [error, setError] = useState<string | null>(null);
  const [reason, setReason] = useState<Record<number, string>>({});
  const names = useHallNames(hallId, setError);
  const fetchPage = (before?: number) => api('GET /halls/:hallId/evaluations', {
    hallId, limit: PAGE + 1, ...queryOf(filter), ...(before ? { before: String(before) } : {}),
  });
  const load = () => fetchPage().then((page) => {
    setError(null);
    setRows(page.slice(0, PAGE));
    setMore(page.length > PAGE);
  }, (err: unknown) => setError(errorText(err)));
  const loadMore = () => fetchPage(rows.at(-1)?.id).then((page) => {
    setRows([...rows, ...page.slice(0, PAGE)]);
    setMore(page.length > PAGE);
  }, (err: unknown) => setError(errorText(err)));
  useEffect(() => void load(), [hallId, version, filter]);
  const set = (k: keyof Filter) => (e: { currentTarget: { value: string } }) => setFilter({ ...filter, [k]: e.currentTarget.value });

  async function decide(e: EvaluationView, decision: 'uphold' | 'void') {
    setError(null);
    try {
      await api('POST /halls/:hallId/evaluations/:evaluationId/appeal-decision', { hallId, evaluationId: e.id }, { decision, reason: reason[e.id] ?? '' });
      await load();
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <section class="panel">
      {error && <div class="error-banner" role="alert">{error}</div>}
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>{t('mgr.searchNumber')}
          <input name="number" value={filter.number} maxLength={5} placeholder="A023" data-testid="rating-search" onChange={set('number')} />
        </label>
        <label>{t('mgr.level')}
          <select name="level" value={filter.level} data-testid="rating-filter-level" onChange={set('level')}>
            <option value="">{t('mgr.all')}</option>
            {evaluationLevels.map((l) => <option key={l} value={l}>{t(`level.${l}` as Key)}</option>)}
          </select>
        </label>
        <label>{t('mgr.from')}<input type="date" name="from" value={filter.from} onChange={set('from')} /></label>
        <label>{t('mgr.to')}<input type="date" name="to" value={filter.to} onChange={set('to')} /></label>
        <label>{t('mgr.service')}
          <select name="serviceId" value={filter.serviceId} onChange={set('serviceId')}>
            <option value="">{t('mgr.all')}</option>
            {names.services.map((s) => <option key={s.id} value={s.id}>{names.service(s.id)}</option>)}
          </select>
        </label>
        <label>{t('mgr.window')}
          <select name="windowId" value={filter.windowId} onChange={set('windowId')}>
            <option value="">{t('mgr.all')}</option>
            {names.windows.map((w) => <option key={w.id} value={w.id}>{w.number}</option>)}
          </select>
        </label>
        <label>{t('mgr.clerk')}
          <select name="staffId" value={filter.staffId} onChange={set('staffId')}>
            <option value="">{t('mgr.all')}</option>
            {names.staff.map((p) => <option key={p.id} value={p.id}>{p.displayName}</option>)}
          </select>
        </label>
        <label>{t('mgr.appeal')}
          <select name="appealState" value={filter.appealState} data-testid="rating-filter-appeal" onChange={set('appealState')}>
            <option value="">{t('mgr.all')}</option>
            {(['none', 'pending', 'upheld', 'voided'] as const).map((a) => <option key={a} value={a}>{t(`mgr.appealState.${a}` as Key)}</option>)}
          </select>
        </label>
        {filter !== NO_FILTER && <button type="button" onClick={() => setFilter(NO_FILTER)}>{t('mgr.clearFilters')}</button>}
      </form>
      {rows.length === 0 ? <p class="muted" data-testid="ratings-none">{t('mgr.none')}</p> : (
        <table data-testid="evaluations">
          <thead><tr><th /><th>{t('mgr.level')}</th><th>{t('mgr.service')}</th><th>{t('mgr.window')}</th><th>{t('mgr.clerk')}</th><th>{t('mgr.source')}</th><th>{t('mgr.comment')}</th><th>{t('mgr.contact')}</th><th>{t('mgr.appeal')}</th><th>{t('mgr.ruling')}</th></tr></thead>
          <tbody>
            {rows.map((e) => (
              <tr key={e.id}>
                <td>{e.displayNumber}<br /><small class="muted">{when(e.createdAt, timeZone)}</small></td>
                <td><span class={`pill ${levelClass(e.level)}`}>{t(`level.${e.level}` as Key)}</span></td>
                <td>{names.service(e.serviceId)}</td>
                <td>{names.window(e.windowId)}</td>
                <td>{names.person(e.staffId)}</td>
                <td>{t(`mgr.source.${e.source}` as Key)}</td>
                <td>{saidOf(e)}</td>
                <td>{e.contact ?? ''}</td>
                <td data-testid={`appeal-${e.id}`}>{e.appealState === 'none' ? '—' : t(`mgr.appealState.${e.appealState}` as Key)}{e.appealReason ? `：${e.appealReason}` : ''}</td>
                <td data-testid={`ruling-${e.id}`}>
                  {e.appealState === 'pending' ? (
                    <div class="decide">
                      <input aria-label={t('mgr.decisionReason')} placeholder={t('mgr.decisionReason')} value={reason[e.id] ?? ''} onInput={(ev) => setReason({ ...reason, [e.id]: ev.currentTarget.value })} />
                      <button type="button" onClick={() => void decide(e, 'uphold')}>{t('mgr.uphold')}</button>
                      <button type="button" class="danger" onClick={() => void decide(e, 'void')}>{t('mgr.void')}</button>
                    </div>
                  ) : (e.decisionReason ?? '—')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {more && <button type="button" class="more" data-testid="ratings-more" onClick={() => void loadMore()}>{t('mgr.olderRatings')}</button>}
    </section>
  );
}
