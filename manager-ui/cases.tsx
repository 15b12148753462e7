import { useEffect, useState } from 'preact/hooks';
import type { CaseView } from '../protocol/evaluations.js';
import { api } from '../ui-shared/api.js';
import { errorText } from '../ui-shared/errors.js';
import { type Key, t, useLang } from '../ui-shared/i18n/index.js';
import { ComplaintFacts, ComplaintForm } from './complaint-form.js';
import { RatingFacts, saidOf, useHallNames, when } from './hall-names.js';
import { complaintSources } from '../protocol/constants.js';

const NEXT: Record<CaseView['state'], Exclude<CaseView['state'], 'open'> | null> = {
  open: 'verified', verified: 'rectified', rectified: 'replied', replied: 'closed', closed: null,
};

const next = (c: CaseView) => NEXT[c.state];

/** The first columns of a case's row: the number (or the window, for a complaint about a window), the level or channel, what was said. */
function CaseSubject({ c, window }: { c: CaseView; window: (id: number | null) => string }) {
  if (c.evaluation) {
    return <><td>{c.evaluation.displayNumber}</td><td><span class="pill bad">{t(`level.${c.evaluation.level}` as Key)}</span></td><td>{saidOf(c.evaluation)}</td></>;
  }
  const k = c.complaint!;
  return <><td>{k.displayNumber ?? t('mgr.windowN', { n: window(k.windowId) })}</td><td><span class="pill mid">{t(`mgr.caseSource.${k.source}` as Key)}</span></td><td>{k.content}</td></>;
}

export function Cases({ hallId, timeZone, version }: { hallId: number; timeZone: string; version: number }) {
  useLang();
  const [cases, setCases] = useState<CaseView[]>([]);
  const [filter, setFilter] = useState<{ state: string; source: string; overdue: boolean; windowId: string; staffId: string }>({ state: '', source: '', overdue: false, windowId: '', staffId: '' });
  const [entering, setEntering] = useState(false);
  const [more, setMore] = useState(false);
  const [open, setOpen] = useState<number | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const names = useHallNames(hallId, setError);
  const staff = names.staff;
  const PAGE = 50;
  // One page at a time (newest first); 更早 adds the next page after the last case shown.
  const fetchPage = (before?: number) => api('GET /halls/:hallId/cases', {
    hallId, limit: PAGE + 1, ...(before ? { before: String(before) } : {}),
    ...(filter.state ? { state: filter.state as CaseView['state'] } : {}), ...(filter.source ? { source: filter.source as CaseView['source'] } : {}), ...(filter.overdue ? { overdue: 'true' as const } : {}),
    ...(filter.windowId ? { windowId: filter.windowId } : {}), ...(filter.staffId ? { staffId: filter.staffId } : {}),
  });
  const load = () => fetchPage().then((page) => {
    setCases(page.slice(0, PAGE));
    setMore(page.length > PAGE);
  }, (err: unknown) => setError(errorText(err)));
  const loadMore = () => fetchPage(cases.at(-1)?.id).then((page) => {
    setCases([...cases, ...page.slice(0, PAGE)]);
    setMore(page.length > PAGE);
  }, (err: unknown) => setError(errorText(err)));
  useEffect(() => void load(), [hallId, version, filter]);

  async function run(send: () => Promise<unknown>) {
    setError(null);
    try {
      await send();
      setNote('');
      await load();
    } catch (err) {
      setError(errorText(err));
    }
  }
  const name = names.person;

  return (
    <section class="panel">
      {error && <div class="error-banner">{error}</div>}
      {entering ? (
        <ComplaintForm hallId={hallId} timeZone={timeZone} names={names} onCancel={() => setEntering(false)} onDone={(caseId) => {
          setEntering(false);
          setOpen(caseId);
          void load();
        }} />
      ) : <button type="button" class="primary" data-testid="complaint-new" onClick={() => setEntering(true)}>{t('mgr.complaintNew')}</button>}
      <div class="filters" role="search">
        <label>{t('mgr.caseSourceFilter')}
          <select value={filter.source} data-testid="case-filter-source" onChange={(e) => setFilter({ ...filter, source: e.currentTarget.value })}>
            <option value="">{t('mgr.all')}</option>
            {(['rating', ...complaintSources] as const).map((s) => <option key={s} value={s}>{t(`mgr.caseSource.${s}` as Key)}</option>)}
          </select>
        </label>
        <label>{t('mgr.caseState')}
          <select value={filter.state} data-testid="case-filter-state" onChange={(e) => setFilter({ ...filter, state: e.currentTarget.value })}>
            <option value="">{t('mgr.all')}</option>
            {(['open', 'verified', 'rectified', 'replied', 'closed'] as const).map((s) => <option key={s} value={s}>{t(`mgr.case.${s}` as Key)}</option>)}
          </select>
        </label>
        <label>{t('mgr.window')}
          <select value={filter.windowId} data-testid="case-filter-window" onChange={(e) => setFilter({ ...filter, windowId: e.currentTarget.value })}>
            <option value="">{t('mgr.all')}</option>
            {names.windows.map((w) => <option key={w.id} value={w.id}>{w.number}</option>)}
          </select>
        </label>
        <label>{t('mgr.clerk')}
          <select value={filter.staffId} onChange={(e) => setFilter({ ...filter, staffId: e.currentTarget.value })}>
            <option value="">{t('mgr.all')}</option>
            {staff.map((p) => <option key={p.id} value={p.id}>{p.displayName}</option>)}
          </select>
        </label>
        <label class="check"><input type="checkbox" checked={filter.overdue} data-testid="case-filter-overdue" onChange={(e) => setFilter({ ...filter, overdue: e.currentTarget.checked })} /> {t('mgr.overdueOnly')}</label>
      </div>
      {cases.length === 0 ? <p class="muted">{t('mgr.none')}</p> : (
        <table data-testid="cases">
          <thead><tr><th /><th>{t('mgr.number')}</th><th>{t('mgr.levelOrSource')}</th><th>{t('mgr.comment')}</th><th>{t('mgr.owner')}</th><th>{t('mgr.verifyDue')}</th><th>{t('mgr.rectifyDue')}</th><th /></tr></thead>
          <tbody>
            {cases.map((c) => (
              <>
                <tr key={c.id} class={c.overdue ? 'overdue' : ''} onClick={() => setOpen(open === c.id ? null : c.id)}>
                  <td><button type="button" class="row-open" aria-expanded={open === c.id} aria-label={t('mgr.caseOpen', { n: c.id })} data-testid={`case-open-${c.id}`}>#{c.id}</button></td>
                  <CaseSubject c={c} window={names.window} />
                  <td>{name(c.ownerStaffId)}</td>
                  <td>{when(c.verifyDueAt, timeZone)}</td>
                  <td>{when(c.rectifyDueAt, timeZone)}</td>
                  <td><span class={`pill case-${c.state}`} data-testid={`case-state-${c.id}`}>{t(`mgr.case.${c.state}` as Key)}</span>{c.overdue && <span class="pill bad">{t('mgr.overdue')}</span>}</td>
                </tr>
                {open === c.id && (
                  <tr class="detail">
                    <td colSpan={8}>
                      <div class="case-detail">
                        {c.evaluation ? <RatingFacts e={c.evaluation} names={names} timeZone={timeZone} /> : <ComplaintFacts c={c.complaint!} names={names} timeZone={timeZone} />}
                        <div>
                          <h4>{t('mgr.steps')}</h4>
                          <ol>{c.steps.map((s, i) => <li key={i}>{when(s.at, timeZone)} · {t(`mgr.case.${s.toState}` as Key)} · {s.note}{s.staffId ? ` · ${name(s.staffId)}` : ''}</li>)}</ol>
                        </div>
                        {next(c) && (
                          <div class="case-actions">
                            <label>{t('mgr.owner')}
                              <select value={c.ownerStaffId ?? ''} onChange={(e) => void run(() => api('POST /halls/:hallId/cases/:caseId/assign', { hallId, caseId: c.id }, { ownerStaffId: Number(e.currentTarget.value) }))}>
                                <option value="" disabled>—</option>
                                {staff.filter((s) => !s.disabled).map((s) => <option key={s.id} value={s.id}>{s.displayName}</option>)}
                              </select>
                            </label>
                            <textarea placeholder={t('mgr.note')} value={note} onInput={(e) => setNote(e.currentTarget.value)} data-testid="case-note" />
                            {next(c) === 'closed' ? (
                              <div class="row">
                                <button type="button" class="primary" disabled={!note.trim()} onClick={() => void run(() => api('POST /halls/:hallId/cases/:caseId/advance', { hallId, caseId: c.id }, { to: 'closed', note, citizenSatisfied: true }))}>{t('mgr.satisfied')}</button>
                                <button type="button" disabled={!note.trim()} onClick={() => void run(() => api('POST /halls/:hallId/cases/:caseId/advance', { hallId, caseId: c.id }, { to: 'closed', note, citizenSatisfied: false }))}>{t('mgr.notSatisfied')}</button>
                              </div>
                            ) : (
                              <button type="button" class="primary" disabled={!note.trim()} data-testid="case-next"
                                onClick={() => void run(() => api('POST /halls/:hallId/cases/:caseId/advance', { hallId, caseId: c.id }, { to: next(c)!, note }))}>
                                {t('mgr.next', { step: t(`mgr.case.${next(c)}` as Key) })}
                              </button>
                            )}
                          </div>
                        )}
                      </div>
                    </td>
                  </tr>
                )}
              </>
            ))}
          </tbody>
        </table>
      )}
      {more && <button type="button" class="more" data-testid="cases-more" onClick={() => void loadMore()}>{t('mgr.older')}</button>}
    </section>
  );
}
