import type { CreateHallBody } from '../../protocol/halls.js';
import { writeAll, type WriteDeps } from '../db/write.js';
import { BadRequestError } from '../errors.js';
import { findHall } from '../halls/repository.js';
import { createHall, type Hall, toHall } from '../halls/service.js';
import { insertService, listServices } from '../services/repository.js';
import { insertWindow, listWindows, replaceTiers, tiersOfHall } from '../windows/repository.js';

/**
 * A new hall, set up like another: the same services (their codes, prefixes, quotas, booking
 * slots), the same windows with their tiers pointing at the new hall's services, the same hours
 * and settings. All in one transaction: a refusal leaves no half-copied hall.
 */
export async function createHallLike(deps: WriteDeps, body: CreateHallBody & { copyFrom: number }): Promise<Hall> {
  return writeAll(deps, async (inner) => {
    const db = inner.db;
    const sourceRow = await findHall(db, body.copyFrom);
    if (!sourceRow) throw new BadRequestError('COPY_SOURCE_UNKNOWN', `There is no hall ${body.copyFrom} to copy.`, { field: 'body.copyFrom' });
    const source = toHall(sourceRow);
    // Zones name the other hall's windows and displays; its notice is its own.
    const { displayZones: _zones, displayNotice: _notice, displayNoticeUntil: _until, ...settings } = source.settings;
    const hall = await createHall(inner, {
      ...body,
      openingHours: body.openingHours.length > 0 ? body.openingHours : source.openingHours,
      settings: { ...settings, ...body.settings },
    });
    const now = deps.clock.now();
    const serviceIds = new Map<number, number>();
    for (const { id, hall_id: _, ...columns } of await listServices(db, source.id)) {
      serviceIds.set(id, (await insertService(db, { ...columns, hall_id: hall.id, ewma_handling_ms: columns.expected_minutes * 60_000, created_at: now })).id);
    }
    const tiers = await tiersOfHall(db, source.id);
    for (const w of await listWindows(db, source.id)) {
      const row = await insertWindow(db, {
        hall_id: hall.id, number: w.number, kind: w.kind, special_purpose: w.special_purpose, active: w.active, state: 'closed', staff_id: null, created_at: now,
        duty_hours: w.duty_hours,
      });
      await replaceTiers(db, row.id, (tiers.get(w.id) ?? []).map((tier) => tier.map((id) => serviceIds.get(id)!)));
    }
    return hall;
  });
}
