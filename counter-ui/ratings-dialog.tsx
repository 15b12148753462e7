import { useEffect, useState } from 'preact/hooks';
import { isBadLevel } from '../protocol/constants.js';
import type { EvaluationView } from '../protocol/evaluations.js';
import { api } from '../ui-shared/api.js';
import { Dialog } from '../ui-shared/dialog.js';
import { errorText } from '../ui-shared/errors.js';
import { type Key, t, useLang } from '../ui-shared/i18n/index.js';
import { ReasonDialog } from './reason-dialog.js';

/** 我的评价: the clerk's own ratings; a 差评 can be appealed (申诉) once, with a reason. */
export function RatingsDialog({ hallId, timeZone, onClose }: { hallId: number; timeZone: string; onClose: () => void }) {
  useLang();
  const [rows, setRows] = useState<EvaluationView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [appealing, setAppealing] = useState<EvaluationView | null>(null);
  const load = () => api('GET /halls/:hallId/evaluations', { hallId, limit: 50 }).then(setRows, (err: unknown) => setError(errorText(err)));
  useEffect(() => void load(), [hallId]);
  const when = (ms: number) => new Date(ms).toLocaleString('zh-CN', { timeZone, hour12: false, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

  if (appealing) {
    return (
      <ReasonDialog
        title={t('counter.appealTitle', { number: appealing.displayNumber })} submitLabel={t('counter.appeal')} testId="appeal-dialog"
        onCancel={() => setAppealing(null)}
        onSubmit={(reason) => {
          api('POST /halls/:hallId/evaluations/:evaluationId/appeal', { hallId, evaluationId: appealing.id }, { reason })
            .then(() => load(), (err: unknown) => setError(errorText(err)))
            .finally(() => setAppealing(null));
        }}
      />
    );
  }
  return (
    <Dialog label={t('counter.myRatings')} onClose={onClose} testId="ratings-dialog">
      <h2>{t('counter.myRatings')}</h2>
      {error && <p class="error-banner" role="alert">{error}</p>}
      {rows === null ? <p>{t('common.loading')}</p> : rows.length === 0 ? <p>{t('counter.noRatings')}</p> : (
        <ul class="ratings">
          {rows.map((r) => (
            <li key={r.id} data-testid={`rating-${r.id}`}>
              <b>{r.displayNumber}</b> <span>{t(`level.${r.level}` as Key)}</span> <small>{when(r.createdAt)}</small>
              {r.comment && <q>{r.comment}</q>}
              {isBadLevel(r.level) && (r.appealState === 'none'
                ? <button type="button" onClick={() => setAppealing(r)}>{t('counter.appeal')}</button>
                : <span class="pill">{t(`mgr.appeal.${r.appealState}` as Key)}</span>)}
            </li>
          ))}
        </ul>
      )}
      <div class="dialog-actions"><button type="button" class="ghost" onClick={onClose}>{t('common.close')}</button></div>
    </Dialog>
  );
}
