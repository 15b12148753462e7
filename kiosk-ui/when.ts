import { lang } from '../ui-shared/i18n/index.js';

/** "11月26日 09:00" / "26 Nov 09:00" in the hall's timezone. */
export function when(ms: number, timeZone: string): string {
  return new Date(ms).toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en-GB', { timeZone, month: 'short', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false });
}
