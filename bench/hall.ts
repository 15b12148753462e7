/** The hall every benchmark measures: the demo hall, open all day, its people past their first passwords. */
import { systemClock } from '../server/clock.js';
import { EventBus } from '../server/db/bus.js';
import { type Db, migrateToLatest } from '../server/db/connect.js';
import { seedDemoHall } from '../server/seed/demo.js';
import { createStaff } from '../server/staff/service.js';

/** What a benchmark needs to drive the hall. */
export interface BenchHall {
  hallId: number;
  serviceId: number;
  windowId: number;
  clerk: { username: string; password: string };
  kiosk: string;
  display: string;
}

/**
 * Migrates `db` and seeds the hall. A measuring harness, not a hall: staff keep their printed
 * passwords and the hall is open at whatever hour the benchmark runs. With an admin already
 * there, a server started on it hashes no first password (scrypt's 128 MiB would stay in its
 * memory figures).
 */
export async function seedBenchHall(db: Db): Promise<BenchHall> {
  await migrateToLatest(db);
  const deps = { db, clock: systemClock, bus: new EventBus(), passwordHashCost: 1 << 10 };
  const demo = await seedDemoHall(deps);
  await createStaff(deps, null, { username: 'admin', displayName: '管理员', role: 'admin' });
  await db.updateTable('staff').set({ must_change_password: 0 }).execute();
  const allDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '00:00', close: '24:00' }));
  await db.updateTable('halls').set({ opening_hours: JSON.stringify(allDay) }).execute();
  return {
    hallId: demo.hallId,
    serviceId: demo.serviceIds.social_security!,
    windowId: demo.windowIds['1']!,
    clerk: demo.credentials.find((c) => c.role === 'clerk')!,
    kiosk: demo.devices.find((d) => d.kind === 'kiosk')!.token,
    display: demo.devices.find((d) => d.kind === 'display')!.token,
  };
}
