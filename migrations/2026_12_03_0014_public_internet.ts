import type { Kysely } from 'kysely';

// Open to the public internet.
// - throttles: failure and request counters (sign-in per address, name and both; one-time SMS
//   codes; bookings per address), each increased in one statement so concurrent failures all
//   count. They replace the per-account lock on staff, which let anyone lock a clerk out.
// - sign_in_addresses: where each account has signed in before; while the account is under
//   attack from elsewhere, those addresses still get in.
// - phone_codes: one-time codes sent by SMS that prove a citizen's phone number (booking).
// - appointments.phone_verified / client_key: a booking made without a proven number (a hall
//   with no SMS gateway) is held unconfirmed, and counted per address.
// - tickets.priority_granted_by: who granted a 绿色通道 ticket its priority.
// - key_checks: tells at start whether the key file is the one that sealed the TOTP secrets.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('throttles')
    .addColumn('key', 'text', (c) => c.primaryKey())
    /** The account name the counter is about (to clear it on a reset), or null. */
    .addColumn('name', 'text')
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('window_start', 'integer', (c) => c.notNull())
    .addColumn('blocked_until', 'integer')
    .execute();
  await db.schema.createIndex('throttles_by_name').on('throttles').column('name').execute();
  await db.schema.createIndex('throttles_by_window').on('throttles').column('window_start').execute();

  await db.schema.createTable('sign_in_addresses')
    .addColumn('staff_id', 'integer', (c) => c.notNull().references('staff.id').onDelete('cascade'))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('last_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('sign_in_addresses_pk', ['staff_id', 'address'])
    .execute();

  await db.schema.createTable('phone_codes')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('hall_id', 'integer', (c) => c.notNull().references('halls.id').onDelete('cascade'))
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('used_at', 'integer')
    .execute();
  await db.schema.createIndex('phone_codes_by_phone').on('phone_codes').columns(['phone', 'created_at']).execute();

  await db.schema.alterTable('appointments').addColumn('phone_verified', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('appointments').addColumn('client_key', 'text').execute();
  await db.schema.alterTable('tickets').addColumn('priority_granted_by', 'integer').execute();

  // Which key (file) sealed the stored second-factor secrets: a check value, never the key.
  await db.schema.createTable('key_checks')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema.alterTable('staff').dropColumn('failed_logins').execute();
  await db.schema.alterTable('staff').dropColumn('locked_until').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('staff').addColumn('locked_until', 'integer').execute();
  await db.schema.alterTable('staff').addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.dropTable('key_checks').execute();
  await db.schema.alterTable('tickets').dropColumn('priority_granted_by').execute();
  await db.schema.alterTable('appointments').dropColumn('client_key').execute();
  await db.schema.alterTable('appointments').dropColumn('phone_verified').execute();
  await db.schema.dropTable('phone_codes').execute();
  await db.schema.dropTable('sign_in_addresses').execute();
  await db.schema.dropTable('throttles').execute();
}
