import type { Kysely } from 'kysely';
import type { CallerAnswer, CallerKeyBody } from '../../protocol/caller.js';
import { waitsFor } from '../../protocol/serving.js';
import type { Database, DeviceRow } from '../db/schema.js';
import type { WriteDeps } from '../db/write.js';
import { AppError, ConflictError } from '../errors.js';
import { loadHall } from '../halls/service.js';
import { queueSnapshot } from '../tickets/queries.js';
import { waitingTickets } from '../tickets/repository.js';
import * as engine from '../tickets/service.js';
import { findWindowByNumber } from '../windows/repository.js';
import { type HallWindow, loadWindow, pauseWindow, resumeWindow } from '../windows/service.js';
import { inviteRating } from '../evaluations/ratings.js';

/** What a keypad's first line says for the engine's refusals (the second names the window). */
const REFUSED: Record<string, string> = {
  NO_CURRENT_TICKET: '当前无人办理', ILLEGAL_TRANSITION: '此时不能操作', TICKET_NOT_CURRENT: '请再按一次', TICKET_CHANGED: '请再按一次',
  WINDOW_BUSY: '请先办结当前', WINDOW_PAUSED: '窗口暂停中', WINDOW_NOT_OPEN: '窗口未开放', WINDOW_NOT_PAUSED: '窗口未暂停',
  WINDOW_ALREADY_PAUSED: '窗口已暂停', CLERK_NOT_AUTHORIZED: '对方无权办理', TRANSFER_TO_SELF: '不能转本窗口',
  TRANSFER_TO_SAME_SERVICE: '请输入窗口号', WINDOW_INACTIVE: '该窗口已停用', SERVICE_INACTIVE: '事项已停办',
};

/** A refusal as the keypad shows it: its own lines, or lines made from its code. */
function withLines(err: unknown, windowNumber: string): unknown {
  if (!(err instanceof AppError)) return err;
  const details = typeof err.details === 'object' && err.details !== null ? err.details as Record<string, unknown> : {};
  if (Array.isArray(details.lines)) return err;
  return new AppError(err.statusCode, err.code, err.message, { ...details, lines: [REFUSED[err.code] ?? '操作未成功', line(`${windowNumber}号窗口`)] });
}

/** Two lines of a keypad's display: at most 16 characters each (8 Chinese characters fit most). */
const line = (text: string) => text.slice(0, 16);

/** The keypad's window; a keypad that lost its window (deleted) is told so. */
async function windowOf(db: Kysely<Database>, device: DeviceRow): Promise<HallWindow> {
  if (device.window_id === null) throw new ConflictError('CALLER_NOT_PAIRED', 'This keypad is not paired to a window.', { lines: ['未绑定窗口', '请联系管理员'] });
  return loadWindow(db, device.hall_id, device.window_id);
}

/** What the keypad shows now: the citizen at the window (or the window's state) and who waits for it. */
export async function callerState(db: Kysely<Database>, device: DeviceRow, now: number): Promise<CallerAnswer> {
  const window = await windowOf(db, device);
  const snapshot = await queueSnapshot(db, device.hall_id, now);
  const here = snapshot.windows.find((w) => w.windowId === window.id);
  const waiting = (await waitingTickets(db, device.hall_id, snapshot.businessDay))
    .filter((x) => waitsFor(window, { serviceId: x.service_id, targetWindowId: x.target_window_id })).length;
  const ticket = here?.current ?? null;
  const current = ticket && (ticket.status === 'called' || ticket.status === 'serving') ? { displayNumber: ticket.displayNumber, status: ticket.status } : null;
  const first = current ? (current.status === 'called' ? `请${current.displayNumber}号` : `办理中 ${current.displayNumber}`)
    : window.state === 'paused' ? '暂停服务' : window.state === 'closed' ? '窗口未开放' : '空闲';
  return {
    window: { id: window.id, number: window.number, state: window.state, staffName: window.staffName },
    current, waiting, lines: [line(first), line(`等候 ${waiting} 人`)],
  };
}

/**
 * One key of the window's keypad, done for the clerk signed in there (the device on the record
 * beside them): the same engine calls as the counter page, so the same rules and refusals. With
 * nobody signed in, every key but 查询 is refused (`409 CALLER_NO_CLERK`).
 */
export async function pressKey(deps: WriteDeps, device: DeviceRow, body: CallerKeyBody): Promise<CallerAnswer> {
  const window = await windowOf(deps.db, device);
  try {
    return await press(deps, device, window, body);
  } catch (err) {
    throw withLines(err, window.number);
  }
}

async function press(deps: WriteDeps, device: DeviceRow, window: HallWindow, body: CallerKeyBody): Promise<CallerAnswer> {
  if (body.key !== 'status') {
    if (window.staffId === null) {
      throw new ConflictError('CALLER_NO_CLERK', `Nobody is signed in at window ${window.number}.`, { lines: ['无人登录', '请先登录窗口'] });
    }
    const actor = { staffId: window.staffId, deviceId: device.id };
    const { hall_id: hallId } = device;
    switch (body.key) {
      case 'call': {
        const called = await engine.callNext(deps, hallId, window.id, actor);
        if (!called) return { ...(await callerState(deps.db, device, deps.clock.now())), lines: ['无人等候', line(`${window.number}号窗口`)] };
        break;
      }
      case 'recall': await engine.recall(deps, hallId, window.id, undefined, actor); break;
      case 'start': await engine.start(deps, hallId, window.id, undefined, actor); break;
      case 'finish': await engine.finish(deps, hallId, window.id, undefined, actor); break;
      case 'no_show': await engine.noShow(deps, hallId, window.id, undefined, actor); break;
      case 'transfer': {
        const target = body.windowNumber === undefined ? undefined : await findWindowByNumber(deps.db, hallId, body.windowNumber);
        if (body.windowNumber !== undefined && !target) {
          throw new ConflictError('CALLER_UNKNOWN_WINDOW', `There is no window ${body.windowNumber}.`, { field: 'body.windowNumber', lines: ['无此窗口', line(body.windowNumber)] });
        }
        if (!target && body.serviceId === undefined) {
          throw new ConflictError('CALLER_TRANSFER_TARGET', 'A transfer names the window (windowNumber) or the service (serviceId).', { field: 'body.windowNumber', lines: ['转移到', '请输入窗口号'] });
        }
        await engine.transfer(deps, hallId, window.id, undefined, { ...(target ? { windowId: target.id } : {}), ...(body.serviceId ? { serviceId: body.serviceId } : {}) }, actor);
        break;
      }
      case 'pause': {
        const hall = await loadHall(deps.db, hallId);
        const by = { id: window.staffId, name: `${window.staffName ?? ''}（呼叫器 ${device.name}）`, ip: null, staffId: window.staffId };
        if (window.state === 'paused') await resumeWindow(deps, hallId, window.id, by);
        else await pauseWindow(deps, hallId, window.id, body.reason ?? 'away', hall.timezone, by);
        break;
      }
      case 'rate': {
        const invited = await inviteRating(deps, window.id, hallId);
        return { ...(await callerState(deps.db, device, deps.clock.now())), lines: ['请评价', line(invited)] };
      }
    }
  }
  return callerState(deps.db, device, deps.clock.now());
}
