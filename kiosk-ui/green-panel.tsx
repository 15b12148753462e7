import { greenCategories } from '../protocol/constants.js';
import type { GreenCategory } from '../protocol/tickets.js';
import { type Key, t } from '../ui-shared/i18n/index.js';

/**
 * 绿色通道 at the kiosk: first who it is for (one large button each), then a banner while the
 * citizen picks the service. Where the hall confirms priority at the 导办台, it says to go there.
 */
export function GreenPanel({ state, onChoose, onCancel }: {
  state: GreenCategory | 'choosing' | 'at-helper' | null;
  onChoose: (category: GreenCategory) => void;
  onCancel: () => void;
}) {
  if (state === null) return null;
  if (state === 'at-helper') {
    return (
      <div class="green-banner" role="status" data-testid="green-at-helper">
        <span>{t('kiosk.greenAtHelper')}</span>
        <button type="button" onClick={onCancel}>{t('common.close')}</button>
      </div>
    );
  }
  if (state === 'choosing') {
    return (
      <fieldset class="green-choose" data-testid="green-choose">
        <legend>{t('kiosk.greenWho')}</legend>
        <div class="green-options">
          {greenCategories.map((c) => (
            <button type="button" key={c} data-testid={`green-${c}`} onClick={() => onChoose(c)}>{t(`kiosk.greenFor.${c}` as Key)}</button>
          ))}
          <button type="button" class="green-cancel" onClick={onCancel}>{t('common.cancel')}</button>
        </div>
      </fieldset>
    );
  }
  return (
    <div class="green-banner" role="status" data-testid="green-on">
      <span>{t('kiosk.greenPickFor', { who: t(`kiosk.greenFor.${state}` as Key) })}</span>
      <button type="button" onClick={onCancel}>{t('common.cancel')}</button>
    </div>
  );
}
