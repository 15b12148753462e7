import iconv from 'iconv-lite';
import type { Kysely } from 'kysely';
import type { LedQuery } from '../../protocol/caller.js';
import { PAUSE_REASON_ZH } from '../../protocol/windows.js';
import type { Database, DeviceRow } from '../db/schema.js';
import { businessDay } from '../domain/business-day.js';
import { BadRequestError } from '../errors.js';
import { loadHall } from '../halls/service.js';
import { loadWindow } from '../windows/service.js';


/** Today's calls, newest first, at the given windows (all when null). */
async function recentCalls(db: Kysely<Database>, hallId: number, day: string, windowIds: readonly number[] | null, limit: number) {
  let q = db.selectFrom('tickets').innerJoin('windows', 'windows.id', 'tickets.window_id')
    .select(['tickets.display_number as number', 'windows.number as window', 'tickets.status as status'])
    .where('tickets.hall_id', '=', hallId).where('tickets.business_day', '=', day).where('tickets.called_at', 'is not', null);
  if (windowIds) q = q.where('tickets.window_id', 'in', windowIds.length ? windowIds : [-1]);
  return q.orderBy('tickets.called_at', 'desc').orderBy('tickets.id', 'desc').limit(limit).execute();
}

const callLine = (c: { number: string; window: string }) => `请${c.number}号到${c.window}号窗口`;

/**
 * The text an LED strip shows, one call a line. A strip above a window: its state first (the
 * number called or being served, 暂停 with the reason, 空闲), then its earlier calls. A strip at
 * the door: the hall's latest calls, or a zone's.
 */
export async function ledLines(db: Kysely<Database>, device: DeviceRow, query: LedQuery, now: number): Promise<string[]> {
  const hall = await loadHall(db, device.hall_id);
  const day = businessDay(now, hall.timezone);
  if (device.window_id !== null) {
    const window = await loadWindow(db, device.hall_id, device.window_id);
    const calls = await recentCalls(db, hall.id, day, [window.id], query.lines);
    const latest = calls[0];
    const head = latest?.status === 'called' ? callLine(latest)
      : latest?.status === 'serving' ? `${window.number}号窗口 正在办理${latest.number}号`
        : window.state === 'paused' ? `${window.number}号窗口 暂停服务（${PAUSE_REASON_ZH[window.pauseReason ?? 'other']}）`
          : window.state === 'closed' ? `${window.number}号窗口 暂未开放` : `${window.number}号窗口 空闲`;
    const active = latest?.status === 'called' || latest?.status === 'serving';
    return [head, ...calls.slice(active ? 1 : 0).map(callLine)].slice(0, query.lines);
  }
  let windowIds: number[] | null = null;
  if (query.zone !== undefined) {
    const zone = hall.settings.displayZones.find((z) => z.name === query.zone);
    if (!zone) throw new BadRequestError('ZONE_UNKNOWN', `The hall has no display zone ${query.zone}.`, { field: 'querystring.zone' });
    windowIds = zone.windowIds;
  }
  const calls = await recentCalls(db, hall.id, day, windowIds, query.lines);
  return calls.length ? calls.map(callLine) : [`${hall.name} 欢迎您`];
}

/** The lines as the controller asked for them: UTF-8, or GBK (also for gb2312, its subset). */
export function ledBody(lines: string[], charset: LedQuery['charset']): { type: string; body: Buffer } {
  const text = `${lines.join('\r\n')}\r\n`;
  if (charset === 'utf-8') return { type: 'text/plain; charset=utf-8', body: Buffer.from(text, 'utf8') };
  return { type: `text/plain; charset=${charset === 'gbk' ? 'GBK' : 'GB2312'}`, body: iconv.encode(text, 'gbk') };
}
