import { sql, type Kysely } from 'kysely';

// Before a hall goes live: events name the citizen's ticket by an internal id (never its token),
// halls keep a holiday calendar, staff accounts gain password and second-factor state, and sign-ins
// and account changes leave an audit trail.
export async function up(db: Kysely<any>): Promise<void> {
  // The phone page's room is named by the first entry of the citizen's ticket (a transfer keeps it).
  await db.schema.alterTable('events').addColumn('ticket_ref', 'integer').execute();
  await sql`update events set ticket_ref = (select min(t.id) from tickets t where t.token = events.ticket_token)
            where ticket_token is not null`.execute(db);
  await db.schema.alterTable('events').dropColumn('ticket_token').execute();
  await db.schema.createIndex('events_ticket_ref').on('events').columns(['ticket_ref']).execute();

  // Accounts: a password someone else chose must be changed at first sign-in; failures lock the
  // account for a while; a TOTP second factor with one-time recovery codes.
  await db.schema.alterTable('staff').addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('staff').addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('staff').addColumn('locked_until', 'integer').execute();
  await db.schema.alterTable('staff').addColumn('totp_secret', 'text').execute();
  await db.schema.alterTable('staff').addColumn('totp_enabled_at', 'integer').execute();
  await db.schema.alterTable('staff').addColumn('totp_last_step', 'integer').execute();
  await db.schema
    .createTable('recovery_codes')
    .addColumn('staff_id', 'integer', (c) => c.notNull().references('staff.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', 'integer')
    .addPrimaryKeyConstraint('recovery_codes_pk', ['staff_id', 'code_hash'])
    .execute();
  // Inactivity timeout beside the absolute one.
  await db.schema.alterTable('sessions').addColumn('last_seen_at', 'integer').execute();
  await sql`update sessions set last_seen_at = created_at`.execute(db);

  // Who did what, when, from where: sign-ins and every change to accounts and devices.
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('hall_id', 'integer')
    .addColumn('at', 'integer', (c) => c.notNull())
    .addColumn('actor_id', 'integer')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    .addColumn('detail', 'text')
    .addColumn('ip', 'text')
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at']).execute();

  // The holiday calendar: 法定节假日 closed days and 调休 make-up working days.
  await db.schema
    .createTable('hall_calendar')
    .addColumn('hall_id', 'integer', (c) => c.notNull().references('halls.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('hours_of_weekday', 'integer')
    .addPrimaryKeyConstraint('hall_calendar_pk', ['hall_id', 'day'])
    .execute();

  // A service may stop issuing some minutes before the hall closes (不动产: 30).
  await db.schema.alterTable('services').addColumn('issue_cutoff_minutes', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('services').dropColumn('issue_cutoff_minutes').execute();
  await db.schema.dropTable('hall_calendar').execute();
  await db.schema.dropTable('audit_log').execute();
  await db.schema.alterTable('sessions').dropColumn('last_seen_at').execute();
  await db.schema.dropTable('recovery_codes').execute();
  for (const column of ['totp_last_step', 'totp_enabled_at', 'totp_secret', 'locked_until', 'failed_logins', 'must_change_password']) {
    await db.schema.alterTable('staff').dropColumn(column).execute();
  }
  await db.schema.dropIndex('events_ticket_ref').execute();
  await db.schema.alterTable('events').dropColumn('ticket_ref').execute();
  await db.schema.alterTable('events').addColumn('ticket_token', 'text').execute();
}
