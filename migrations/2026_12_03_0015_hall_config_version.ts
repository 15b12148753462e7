import { PostgresAdapter, sql, type Kysely } from 'kysely';

// A hall's configuration (the hall, its services, windows, their tiers, its calendar and the
// names of the staff at its windows) is kept in memory by each server process and read by every
// change. The number `config_version` says when a kept copy is out of date: triggers raise it on
// every write to those rows, whoever writes them (a route, the CLI, another process, a restore),
// so no code path can forget to. A service's moving average of handling time changes with every
// finished ticket and is not configuration: it is always read from its row.
//
// A column added to `services` later is configuration unless said otherwise: add it to the
// list in a new migration.
const SERVICE_COLUMNS = [
  'hall_id', 'code', 'name_zh', 'name_en', 'prefix', 'expected_minutes', 'daily_quota', 'active', 'sort_order', 'created_at',
  'issue_cutoff_minutes', 'booking_days_ahead', 'slot_minutes', 'slot_capacity',
];

/** Which hall a row of each table belongs to, as SQL over the trigger's row (`r`). */
const HALL_OF: Record<string, (r: string) => string> = {
  halls: (r) => `= ${r}.id`,
  services: (r) => `= ${r}.hall_id`,
  windows: (r) => `= ${r}.hall_id`,
  hall_calendar: (r) => `= ${r}.hall_id`,
  window_services: (r) => `= (select hall_id from windows where id = ${r}.window_id)`,
  staff: (r) => `in (select hall_id from windows where staff_id = ${r}.id)`,
};

/** The events that change configuration, per table. */
const FIRES_ON: Record<string, string[]> = {
  halls: ['update'],
  services: ['insert', 'delete', `update of ${SERVICE_COLUMNS.join(', ')}`],
  windows: ['insert', 'delete', 'update'],
  hall_calendar: ['insert', 'delete', 'update'],
  window_services: ['insert', 'delete', 'update'],
  staff: ['update of display_name'],
};

const bump = (where: string) => `update hall_event_counters set config_version = config_version + 1 where hall_id ${where}`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('hall_event_counters').addColumn('config_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const branches = Object.entries(HALL_OF).map(([table, hallOf], i) =>
      `${i === 0 ? 'if' : 'elsif'} tg_table_name = '${table}' then ${bump(hallOf('r'))};`).join('\n');
    await sql.raw(`create function hall_config_changed() returns trigger language plpgsql as $$
      declare r record;
      begin
        if tg_op = 'DELETE' then r := old; else r := new; end if;
        ${branches}
        end if;
        return null;
      end $$`).execute(db);
    for (const [table, events] of Object.entries(FIRES_ON)) {
      await sql.raw(`create trigger ${table}_config after ${events.join(' or ')} on ${table}
        for each row execute function hall_config_changed()`).execute(db);
    }
    return;
  }
  for (const [table, events] of Object.entries(FIRES_ON)) {
    for (const event of events) {
      const row = event === 'delete' ? 'old' : 'new';
      const name = `${table}_config_${event.split(' ')[0]}`;
      await sql.raw(`create trigger ${name} after ${event} on ${table} for each row begin ${bump(HALL_OF[table]!(row))}; end`).execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    for (const table of Object.keys(FIRES_ON)) await sql.raw(`drop trigger ${table}_config on ${table}`).execute(db);
    await sql.raw('drop function hall_config_changed()').execute(db);
  } else {
    for (const [table, events] of Object.entries(FIRES_ON)) {
      for (const event of events) await sql.raw(`drop trigger ${table}_config_${event.split(' ')[0]}`).execute(db);
    }
  }
  await db.schema.alterTable('hall_event_counters').dropColumn('config_version').execute();
}
