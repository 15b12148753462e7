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
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('events_ticket_ref').execute();
  await db.schema.alterTable('events').dropColumn('ticket_ref').execute();
  await db.schema.alterTable('events').addColumn('ticket_token', 'text').execute();
}
