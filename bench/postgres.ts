/** A fresh PostgreSQL schema with the demo hall open all day, for benchmarks with two server processes. */
import { systemClock } from '../server/clock.js';
import { EventBus } from '../server/db/bus.js';
import { migrateToLatest } from '../server/db/connect.js';
import { freshSchema, openPostgres } from '../server/db/postgres.js';
import { seedDemoHall } from '../server/seed/demo.js';
import { createStaff } from '../server/staff/service.js';

const adminOptions = { poolSize: 1, poolWaitMs: 5000, statementTimeoutMs: 60_000 };

export async function seedPostgres(url: string, schema: string) {
  const admin = openPostgres(url, adminOptions);
  try {
    await freshSchema(admin, schema);
  } finally {
    await admin.destroy();
  }
  const db = openPostgres(url, { ...adminOptions, schema });
  try {
    await migrateToLatest(db);
    const deps = { db, clock: systemClock, bus: new EventBus(), passwordHashCost: 1 << 10 };
    const demo = await seedDemoHall(deps);
    // With an admin already there a server hashes no first password at start.
    await createStaff(deps, null, { username: 'admin', displayName: '管理员', role: 'admin' });
    const allDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '00:00', close: '24:00' }));
    await db.updateTable('halls').set({ opening_hours: JSON.stringify(allDay) }).execute();
    await db.updateTable('staff').set({ must_change_password: 0 }).execute();
    return {
      hallId: demo.hallId,
      serviceId: demo.serviceIds.social_security!,
      windowId: demo.windowIds['1']!,
      clerk: demo.credentials.find((c) => c.role === 'clerk')!,
      kiosk: demo.devices.find((d) => d.kind === 'kiosk')!.token,
      display: demo.devices.find((d) => d.kind === 'display')!.token,
    };
  } finally {
    await db.destroy();
  }
}

export function postgresEnv(url: string, redisUrl: string, schema: string): Record<string, string> {
  return { DATABASE_URL: url, PGOPTIONS: `-c search_path=${schema}`, REDIS_URL: redisUrl, REDIS_PREFIX: `bench:${schema}` };
}

export async function dropPostgres(url: string, schema: string): Promise<void> {
  const admin = openPostgres(url, adminOptions);
  try {
    await admin.schema.dropSchema(schema).ifExists().cascade().execute();
  } finally {
    await admin.destroy();
  }
}
