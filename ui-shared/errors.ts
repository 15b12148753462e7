import { ApiError } from './api.js';
import { hasKey, t } from './i18n/index.js';

/** The field paths ("body.prefix") an error's details name: one, or a list for validation refusals. */
export function failedFields(err: ApiError): string[] {
  const list: unknown[] = Array.isArray(err.details) ? err.details : [err.details];
  return list.flatMap((d) => (typeof d === 'object' && d !== null && 'field' in d && typeof d.field === 'string' ? [d.field] : []));
}

/** Whether a refusal has words of its own that say what is wrong (the general validation one does not). */
export function saysWhatIsWrong(err: ApiError): boolean {
  return hasKey(`error.${err.code}`) && err.code !== 'VALIDATION_FAILED';
}

/** For the hours refusals (HALL_CLOSED, SERVICE_CLOSED): the next opening in the hall's time. */
function nextOpening(err: ApiError): string {
  const d = err.details;
  return typeof d === 'object' && d !== null && 'nextOpeningLocal' in d && typeof d.nextOpeningLocal === 'string' ? d.nextOpeningLocal : '—';
}

/** The plain values an error's details carry ({ ticketNumber: 'A003', day: … }), for its words to name. */
function detailWords(err: ApiError): Record<string, string | number> {
  const d = err.details;
  if (typeof d !== 'object' || d === null || Array.isArray(d)) return {};
  return Object.fromEntries(Object.entries(d).filter((e): e is [string, string | number] => typeof e[1] === 'string' || typeof e[1] === 'number'));
}

/** A field path ("body.tiers.0") in words; a field the page has no name for is left out. */
function fieldName(path: string): string | null {
  const name = path.split('.').filter((p) => !/^\d+$/.test(p)).pop() ?? path;
  const key = `field.${name}`;
  return hasKey(key) ? t(key) : null;
}

/** An error in plain words for the person at the screen, by its stable code, naming the field that failed. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    const key = `error.${err.code}`;
    const text = hasKey(key) ? t(key, { ...detailWords(err), next: nextOpening(err) }) : t('error.unknown', { message: err.message });
    // A refusal with words of its own says what is wrong; the general ones also name the fields.
    const named = saysWhatIsWrong(err) ? [] : [...new Set(failedFields(err).map(fieldName).filter((n) => n !== null))];
    return named.length ? `${text} ${t('error.fields', { fields: named.join(', ') })}` : text;
  }
  return t('error.unknown', { message: err instanceof Error ? err.message : String(err) });
}
