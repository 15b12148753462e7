import { t } from './i18n/index.js';

/** 办事指南 · 一次性告知: what to bring (and the conditions), as the phone page and the booking show it. */
export function MaterialsList({ materials, conditions = '' }: { materials: readonly string[]; conditions?: string }) {
  if (materials.length === 0 && conditions === '') return null;
  return (
    <section class="materials-box" aria-labelledby="materials-title" data-testid="materials">
      <h3 id="materials-title">{t('materials.bring')}</h3>
      {materials.length > 0 && <ul>{materials.map((m) => <li key={m}>{m}</li>)}</ul>}
      {conditions !== '' && <p><b>{t('materials.conditions')}：</b>{conditions}</p>}
    </section>
  );
}
