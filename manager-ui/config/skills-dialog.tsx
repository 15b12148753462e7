import { useEffect, useState } from 'preact/hooks';
import type { ServiceView } from '../../protocol/services.js';
import type { StaffSkill, StaffView } from '../../protocol/staff.js';
import { api } from '../../ui-shared/api.js';
import { Dialog } from '../../ui-shared/dialog.js';
import { errorText } from '../../ui-shared/errors.js';
import { nameOf, t } from '../../ui-shared/i18n/index.js';

type Choice = StaffSkill['level'] | 'none';

/**
 * 授权事项 of one person: per service 主办, 协办 or 不办理. None chosen at all means no restriction
 * (whatever their window serves), and the dialog says so.
 */
export function SkillsDialog({ hallId, person, onClose, onSaved }: { hallId: number; person: StaffView; onClose: () => void; onSaved: () => void }) {
  const [services, setServices] = useState<ServiceView[]>([]);
  const [choice, setChoice] = useState<Map<number, Choice>>(new Map((person.skills ?? []).map((s) => [s.serviceId, s.level])));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void api('GET /halls/:hallId/services', { hallId }).then(setServices, (err: unknown) => setError(errorText(err))), [hallId]);
  const skills = [...choice.entries()].filter(([, c]) => c !== 'none').map(([serviceId, level]) => ({ serviceId, level: level as StaffSkill['level'] }));
  const save = () => api('PUT /halls/:hallId/staff/:staffId/skills', { hallId, staffId: person.id }, { skills }).then(onSaved, (err: unknown) => setError(errorText(err)));
  const levels: Choice[] = ['lead', 'assist', 'none'];
  return (
    <Dialog label={t('mgr.cfg.skillsOf', { name: person.displayName })} onClose={onClose} testId="skills-dialog">
      <h2>{t('mgr.cfg.skillsOf', { name: person.displayName })}</h2>
      <p class="muted" id="skills-help">{skills.length ? t('mgr.cfg.skillsHelp') : t('mgr.cfg.skillsNone')}</p>
      <table aria-describedby="skills-help">
        <thead><tr><th>{t('mgr.service')}</th>{levels.map((l) => <th key={l}>{t(`mgr.cfg.skill.${l}`)}</th>)}</tr></thead>
        <tbody>
          {services.map((s) => (
            <tr key={s.id} data-testid={`skill-row-${s.code}`}>
              <th scope="row">{s.prefix} {nameOf(s)}</th>
              {levels.map((l) => (
                <td key={l}>
                  <input
                    type="radio" name={`skill-${s.id}`} value={l} checked={(choice.get(s.id) ?? 'none') === l}
                    aria-label={`${s.prefix} ${nameOf(s)}：${t(`mgr.cfg.skill.${l}`)}`}
                    onChange={() => setChoice((m) => new Map(m).set(s.id, l))}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {error && <div class="error-banner" role="alert">{error}</div>}
      <div class="row">
        <button type="button" class="primary" data-testid="skills-save" onClick={() => void save()}>{t('mgr.cfg.save')}</button>
        <button type="button" onClick={onClose}>{t('common.cancel')}</button>
      </div>
    </Dialog>
  );
}
