import { ApiError } from './api.js';
import { hasKey, t } from './i18n/index.js';

/** What an error's details name: the fields that failed, and for the hours refusals the next opening. */
function detailsOf(err: ApiError): { fields: string[]; next: string } {
  const list: unknown[] = Array.isArray(err.details) ? err.details : [err.details];
  const fields = list.flatMap((d) => (typeof d === 'object' && d !== null && 'field' in d && typeof d.field === 'string' ? [d.field] : []));
  const d = err.details;
  const next = typeof d === 'object' && d !== null && 'nextOpeningLocal' in d && typeof d.nextOpeningLocal === 'string' ? d.nextOpeningLocal : '—';
  return { fields, next };
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
    const { fields, next } = detailsOf(err);
    const own = hasKey(key);
    const text = own ? t(key, { next }) : t('error.unknown', { message: err.message });
    // A refusal with words of its own says what is wrong; the general ones also name the fields.
    const named = own && err.code !== 'VALIDATION_FAILED' ? [] : [...new Set(fields.map(fieldName).filter((n) => n !== null))];
    return named.length ? `${text} ${t('error.fields', { fields: named.join(', ') })}` : text;
  }
  return t('error.unknown', { message: err instanceof Error ? err.message : String(err) });
}
