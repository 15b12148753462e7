import type { Kysely } from 'kysely';
import type { WindowScreenView } from '../../protocol/window-screen.js';
import type { Database, DeviceRow } from '../db/schema.js';
import { businessDay } from '../domain/business-day.js';
import { percent } from '../domain/indicators.js';
import { ConflictError } from '../errors.js';
import { loadHall } from '../halls/service.js';
import { findStaff } from '../staff/repository.js';
import { queueSnapshot } from '../tickets/queries.js';
import { loadWindow } from '../windows/service.js';

/** A clerk's ratings this month so far: how many, and how many 非常满意 or 满意 (voided ones left out). */
async function monthRatings(db: Kysely<Database>, staffId: number, from: string, to: string) {
  const rows = await db.selectFrom('evaluations').select(['level'])
    .where('staff_id', '=', staffId).where('business_day', '>=', from).where('business_day', '<=', to).where('appeal_state', '<>', 'voided')
    .execute();
  return { rated: rows.length, good: rows.filter((r) => r.level <= 2).length };
}

/** What the window screen of `device` shows now. */
export async function windowScreen(db: Kysely<Database>, device: DeviceRow, now: number): Promise<WindowScreenView> {
  if (device.window_id === null) throw new ConflictError('WINDOW_SCREEN_NOT_PAIRED', 'This window screen is not paired to a window.');
  const [hall, window, snapshot] = await Promise.all([
    loadHall(db, device.hall_id), loadWindow(db, device.hall_id, device.window_id), queueSnapshot(db, device.hall_id, now),
  ]);
  const active = snapshot.services.filter((s) => s.active);
  const services = window.kind === 'comprehensive' ? active : window.tiers.flat().map((id) => active.find((s) => s.serviceId === id)).filter((s) => s !== undefined);
  const ticket = snapshot.windows.find((w) => w.windowId === window.id)?.current ?? null;
  const current = ticket && (ticket.status === 'called' || ticket.status === 'serving') ? { displayNumber: ticket.displayNumber, status: ticket.status } : null;
  let staff: WindowScreenView['staff'] = null;
  if (window.staffId !== null) {
    const today = businessDay(now, hall.timezone);
    const [row, ratings, photo] = await Promise.all([
      findStaff(db, hall.id, window.staffId),
      monthRatings(db, window.staffId, `${today.slice(0, 7)}-01`, today),
      db.selectFrom('staff_photos').select('staff_id').where('staff_id', '=', window.staffId).executeTakeFirst(),
    ]);
    staff = {
      id: window.staffId, name: row?.display_name ?? window.staffName ?? '', staffNumber: row?.staff_number ?? null, hasPhoto: photo !== undefined,
      goodRate: percent(ratings.good, ratings.rated), rated: ratings.rated,
    };
  }
  return {
    window: {
      id: window.id, number: window.number, kind: window.kind, state: window.state, pauseReason: window.pauseReason,
      services: services.map((s) => ({ prefix: s.prefix, nameZh: s.nameZh, nameEn: s.nameEn })),
    },
    current, staff,
  };
}
