import { describe, expect, it } from 'vitest';
import { hallConfigReads } from '../../server/changes/hall-config.js';
import { sql } from 'kysely';
import { buildTestHall, clerkAt, expectError, expectStatus, hallUrl, issue, openAllDay, scratch, STORE, windowUrl } from '../helpers.js';

const { keep } = scratch('hall-config');

/**
 * Changes read the hall's configuration (hall, services, windows, calendar) from each process's
 * copy, read again only when `config_version` moved. On PostgreSQL the test hall runs two server
 * instances and requests alternate between them: a change made through one is seen by the other.
 */
describe('the hall configuration every change reads', () => {
  it('is read from the store once while nothing changes it', async () => {
    const t = keep(await buildTestHall());
    await openAllDay(t);
    await issue(t, 'social_security');
    const before = t.apps.reduce((sum, app) => sum + hallConfigReads(app.deps.db), 0);
    for (let i = 0; i < 10; i++) await issue(t, 'social_security');
    const clerk = await clerkAt(t, 'clerk01', '1');
    for (let i = 0; i < 3; i++) {
      expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200);
      expectStatus(await clerk.post(windowUrl(t, '1', 'no-show')), 200);
    }
    const after = t.apps.reduce((sum, app) => sum + hallConfigReads(app.deps.db), 0);
    // Signing in to the window changed it (one new read per instance); the 16 changes read nothing.
    expect(after - before).toBeLessThanOrEqual(t.apps.length);
  });

  it('follows every change of the configuration: by its routes, by hand in the store, across instances', async () => {
    const t = keep(await buildTestHall());
    await openAllDay(t);
    const manager = await t.as('manager');
    const clerk = await clerkAt(t, 'clerk01', '1');
    await issue(t, 'social_security');
    await issue(t, 'social_security');

    // A window paused, then resumed: calling follows each.
    expectStatus(await clerk.post(windowUrl(t, '1', 'pause')), 200);
    expectError(await clerk.post(windowUrl(t, '1', 'call-next')), 409, 'WINDOW_PAUSED');
    expectStatus(await clerk.post(windowUrl(t, '1', 'resume')), 200);
    expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200);
    expectStatus(await clerk.post(windowUrl(t, '1', 'no-show')), 200);

    // A service stopped through its route, then by hand in the store (as a restore or a script would).
    const hj = t.demo.serviceIds.social_security!;
    expectStatus(await manager.patch(hallUrl(t, `/services/${hj}`), { active: false }), 200);
    expectError(await t.device('kiosk').post(hallUrl(t, '/tickets'), { serviceId: hj }), 409, 'SERVICE_INACTIVE');
    await sql`update services set active = 1 where id = ${hj}`.execute(t.db);
    await issue(t, 'social_security');
    await sql`update services set active = 0 where id = ${hj}`.execute(t.db);
    expectError(await t.device('kiosk').post(hallUrl(t, '/tickets'), { serviceId: hj }), 409, 'SERVICE_INACTIVE');
    await sql`update services set active = 1 where id = ${hj}`.execute(t.db);

    // Today made a holiday: no numbers; the holiday removed: numbers again.
    const today = new Date(t.clock.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const year = today.slice(0, 4);
    expectStatus(await manager.request('PUT', hallUrl(t, `/calendar/${year}`), { days: [{ day: today, kind: 'holiday', name: '测试假日' }] }), 200);
    expectError(await t.device('kiosk').post(hallUrl(t, '/tickets'), { serviceId: hj }), 409, 'HALL_CLOSED');
    expectStatus(await manager.request('PUT', hallUrl(t, `/calendar/${year}`), { days: [] }), 200);
    await issue(t, 'social_security');

    // The hall's own settings: the recall limit (2 in the demo hall) lowered to 0 by hand.
    await sql`update halls set settings = json_replace(settings, '$.recallLimit', 0) where id = ${t.demo.hallId}`.execute(t.db)
      .catch(async () => sql`update halls set settings = jsonb_set(settings::jsonb, '{recallLimit}', '0')::text where id = ${t.demo.hallId}`.execute(t.db));
    expectStatus(await clerk.post(windowUrl(t, '1', 'call-next')), 200);
    const recalled = expectStatus(await clerk.post(windowUrl(t, '1', 'recall')), 200);
    expect(recalled.ticket.status).toBe('no_show');
    expect(STORE === 'postgres' ? t.apps.length : 1).toBe(STORE === 'postgres' ? 2 : 1);
  });
});
