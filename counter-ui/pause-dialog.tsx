import { pauseReasons } from '../protocol/constants.js';
import type { PauseReason } from '../protocol/windows.js';
import { Dialog } from '../ui-shared/dialog.js';
import { type Key, t } from '../ui-shared/i18n/index.js';

/** 暂停: why, in one tap (the reason is shown to the manager and counted in the statistics). */
export function PauseDialog({ onPause, onClose }: { onPause: (reason: PauseReason) => void; onClose: () => void }) {
  return (
    <Dialog label={t('counter.pauseWhy')} onClose={onClose} testId="pause-dialog">
      <h2>{t('counter.pauseWhy')}</h2>
      <div class="pause-reasons">
        {pauseReasons.map((r) => (
          <button type="button" key={r} data-testid={`pause-${r}`} onClick={() => onPause(r)}>{t(`pause.${r}` as Key)}</button>
        ))}
      </div>
      <button type="button" class="link" onClick={onClose}>{t('common.cancel')}</button>
    </Dialog>
  );
}
