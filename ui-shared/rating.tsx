import { useState } from 'preact/hooks';
import { type EvaluationLevel, evaluationLevels } from '../protocol/constants.js';
import { type Key, t, useLang } from './i18n/index.js';

const BAD_TAGS: Key[] = ['tag.wait', 'tag.attitude', 'tag.slow', 'tag.notice'];
const GOOD_TAGS: Key[] = ['tag.warm', 'tag.fast', 'tag.once'];

export interface Rating {
  level: EvaluationLevel;
  tags: string[];
  comment?: string;
  contact?: string;
}

/**
 * The five GB/T 39734 levels as large buttons, then optional reasons (and, on the phone, a
 * comment and a number for the call-back). Used by the window's evaluator and the phone page.
 */
export function RatingForm({ onSubmit, withText, busy }: { onSubmit: (r: Rating) => void; withText: boolean; busy: boolean }) {
  useLang();
  const [level, setLevel] = useState<EvaluationLevel | null>(null);
  const [tags, setTags] = useState<string[]>([]);
  const [comment, setComment] = useState('');
  const [contact, setContact] = useState('');
  const bad = level === 'dissatisfied' || level === 'very_dissatisfied';
  const choices = level === null ? [] : bad ? BAD_TAGS : GOOD_TAGS;
  const toggle = (tag: string) => setTags((ts) => (ts.includes(tag) ? ts.filter((x) => x !== tag) : [...ts, tag]));
  return (
    <form class="rating" onSubmit={(e) => {
      e.preventDefault();
      if (!level) return;
      onSubmit({ level, tags, ...(comment.trim() ? { comment: comment.trim() } : {}), ...(contact.trim() ? { contact: contact.trim() } : {}) });
    }}>
      <h2>{t('rate.title')}</h2>
      <div class="levels">
        {evaluationLevels.map((l, i) => (
          <button type="button" key={l} class={`level level-${i + 1} ${level === l ? 'on' : ''}`} aria-pressed={level === l} data-testid={`level-${l}`}
            onClick={() => { setLevel(l); setTags([]); }}>
            {t(`level.${l}` as Key)}
          </button>
        ))}
      </div>
      {choices.length > 0 && (
        <div class="tags">
          <span>{t('rate.tags')}</span>
          {choices.map((k) => (
            <button type="button" key={k} class={`tag ${tags.includes(t(k)) ? 'on' : ''}`} onClick={() => toggle(t(k))}>{t(k)}</button>
          ))}
        </div>
      )}
      {withText && level && (
        <>
          <textarea maxLength={500} placeholder={t('rate.comment')} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
          {bad && <input type="tel" maxLength={20} placeholder={t('rate.contact')} value={contact} onInput={(e) => setContact(e.currentTarget.value)} />}
        </>
      )}
      <button type="submit" class="submit" disabled={!level || busy} data-testid="rate-submit">{t('rate.submit')}</button>
    </form>
  );
}
