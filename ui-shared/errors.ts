import { ApiError } from './api.js';
import { hasKey, t } from './i18n/index.js';

/** An error in plain words for the person at the screen, by its stable code. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    const key = `error.${err.code}`;
    // HALL_CLOSED / SERVICE_CLOSED name the next opening in the hall's time.
    const next = (err.details as { nextOpeningLocal?: string | null } | undefined)?.nextOpeningLocal ?? '—';
    return hasKey(key) ? t(key, { next }) : t('error.unknown', { message: err.message });
  }
  return t('error.unknown', { message: err instanceof Error ? err.message : String(err) });
}
