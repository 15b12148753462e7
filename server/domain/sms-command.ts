import { addDays } from './calendar.js';

/**
 * 短信预约: what a citizen's text asks for. Pure: 「预约 社保 12月8日 上午」 books, 「取消 12345678」
 * cancels, 「查询」 asks for the next booking and today's place; anything else gets the help text.
 * Full-width digits, colons and spaces are read as half-width.
 */
export type SmsCommand =
  | { kind: 'book'; service: string; day: string | null; period: 'am' | 'pm' | null; at: string | null }
  | { kind: 'cancel'; code: string | null }
  | { kind: 'query' }
  | { kind: 'help' };

const SEPARATORS = /[\s,，、;；]+/;

/** A day as citizens write it: 12月8日, 12-08, 12/8, 今天, 明天, 后天; the next such date from `today`. */
function dayOf(token: string, today: string): string | null {
  const relative = ['今天', '明天', '后天'].indexOf(token);
  if (relative >= 0) return addDays(today, relative);
  const m = /^(\d{1,2})(?:月|[-/.])(\d{1,2})[日号]?$/.exec(token);
  if (!m) return null;
  const [month, day] = [Number(m[1]), Number(m[2])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const year = Number(today.slice(0, 4));
  for (const y of [year, year + 1]) {
    const date = `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    // A date that does not exist (2月30日) is no date.
    if (new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) return null;
    if (date >= today) return date;
  }
  return null;
}

/** A time as citizens write it: 10:00, 9:30, 10点, 10点半. */
function timeOf(token: string): string | null {
  const m = /^(\d{1,2})(?::(\d{2})|点(半|(\d{1,2})分?)?)$/.exec(token);
  if (!m) return null;
  const h = Number(m[1]);
  const min = m[2] !== undefined ? Number(m[2]) : m[3] === '半' ? 30 : m[4] !== undefined ? Number(m[4]) : 0;
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

export function parseSmsCommand(text: string, today: string): SmsCommand {
  const tokens = text.normalize('NFKC').trim().split(SEPARATORS).filter(Boolean);
  const [verb, ...rest] = tokens;
  if (verb === undefined) return { kind: 'help' };
  // The verb may be glued to what follows: 「预约社保」, 「取消12345678」.
  const glued = /^(预约|取消|查询)(.+)$/.exec(verb);
  const head = glued ? glued[1]! : verb;
  const args = glued ? [glued[2]!, ...rest] : rest;
  if (head === '查询' || head === '查') return { kind: 'query' };
  if (head === '取消') return { kind: 'cancel', code: args.find((a) => /^\d{8}$/.test(a)) ?? null };
  if (head !== '预约') return { kind: 'help' };
  let service = '';
  let day: string | null = null;
  let period: 'am' | 'pm' | null = null;
  let at: string | null = null;
  for (const a of args) {
    if (a === '上午') period = 'am';
    else if (a === '下午') period = 'pm';
    else if (dayOf(a, today)) day = dayOf(a, today);
    else if (timeOf(a)) at = timeOf(a);
    else if (!service) service = a;
  }
  return service ? { kind: 'book', service, day, period, at } : { kind: 'help' };
}

/**
 * The services a keyword names: the exact name, prefix or code; else every service whose Chinese
 * name holds the keyword's characters in order (社保 → 社会保险, 公积金 → 住房公积金).
 */
export function servicesNamed<S extends { nameZh: string; prefix: string; code: string }>(keyword: string, services: readonly S[]): S[] {
  const k = keyword.toLowerCase();
  const exact = services.filter((s) => s.nameZh === keyword || s.prefix.toLowerCase() === k || s.code === k);
  if (exact.length > 0) return exact;
  return services.filter((s) => {
    let at = 0;
    for (const ch of s.nameZh) if (ch === keyword[at]) at++;
    return at === keyword.length;
  });
}
