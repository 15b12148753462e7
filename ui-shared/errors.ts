import { ApiError } from './api.js';
import { hasKey, t } from './i18n/index.js';

/** An error in plain words for the person at the screen, by its stable code. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    const key = `error.${err.code}`;
    return hasKey(key) ? t(key) : t('error.unknown', { message: err.message });
  }
  return t('error.unknown', { message: err instanceof Error ? err.message : String(err) });
}
