import type { ServiceView } from '../../protocol/services.js';
import { nameOf, t } from '../../ui-shared/i18n/index.js';
import { useFieldError } from './shared.js';

const MAX_TIERS = 10;

/**
 * 业务层级 of a domain or special window, as a table: one row per service, one column per tier
 * (第1层 is called first; the next tier only when nobody waits for the one before), and 不办理.
 * There is always one empty tier more to move a service into; empty tiers close up when saved.
 */
export function TierEditor({ services, tiers, onChange }: { services: ServiceView[]; tiers: number[][]; onChange: (tiers: number[][]) => void }) {
  const error = useFieldError('tiers');
  const columns = Math.min(MAX_TIERS, Math.max(2, tiers.length + 1));
  const tierOf = (id: number) => tiers.findIndex((tier) => tier.includes(id));
  const put = (id: number, tier: number) => {
    const next = Array.from({ length: columns }, (_, i) => (tiers[i] ?? []).filter((x) => x !== id));
    if (tier >= 0) next[tier]!.push(id);
    onChange(next.filter((x) => x.length > 0));
  };
  const label = (i: number) => t('mgr.cfg.tierN', { n: i + 1 });
  return (
    <fieldset class={`field tier-editor ${error ? 'invalid' : ''}`} data-testid="tier-editor" aria-describedby="tier-help" aria-invalid={error ? 'true' : undefined}>
      <legend>{t('mgr.cfg.tiersTitle')}</legend>
      <p class="muted" id="tier-help">{t('mgr.cfg.tiersHelp')}</p>
      <table>
        <thead><tr><th>{t('mgr.service')}</th><th>{t('mgr.cfg.tierNone')}</th>{Array.from({ length: columns }, (_, i) => <th key={i}>{label(i)}</th>)}</tr></thead>
        <tbody>
          {services.map((s) => (
            <tr key={s.id} data-testid={`tier-row-${s.code}`}>
              <th scope="row">{s.prefix} {nameOf(s)}</th>
              {Array.from({ length: columns + 1 }, (_, i) => i - 1).map((tier) => (
                <td key={tier}>
                  <input
                    type="radio" name={`tier-${s.id}`} value={tier} checked={tierOf(s.id) === tier} onChange={() => put(s.id, tier)}
                    aria-label={`${s.prefix} ${nameOf(s)}：${tier < 0 ? t('mgr.cfg.tierNone') : label(tier)}`}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {error && <span class="field-error" data-testid="field-error-tiers">{error}</span>}
    </fieldset>
  );
}
