import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Complaints that reach the hall by other channels (意见簿, the 12345 hotline, a phone call, a
// letter) are entered by a manager and follow the same 核实 → 整改 → 答复 loop as a 差评: a case
// belongs either to a rating or to a complaint. A complaint is tied to a ticket (and so to its
// service, window and clerk) or only to a window.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('complaints')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('hall_id', 'integer', (c) => c.notNull().references('halls.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id'))
    .addColumn('service_id', 'integer', (c) => c.references('services.id'))
    .addColumn('window_id', 'integer', (c) => c.references('windows.id'))
    .addColumn('staff_id', 'integer', (c) => c.references('staff.id'))
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('contact', 'text')
    .addColumn('reference', 'text')
    .addColumn('received_at', 'integer', (c) => c.notNull())
    .addColumn('business_day', 'text', (c) => c.notNull())
    .addColumn('entered_by', 'integer', (c) => c.notNull().references('staff.id'))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('complaints_day').on('complaints').columns(['hall_id', 'business_day']).execute();

  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await db.schema.alterTable('evaluation_cases').alterColumn('evaluation_id', (c) => c.dropNotNull()).execute();
    await db.schema.alterTable('evaluation_cases').addColumn('complaint_id', 'integer', (c) => c.unique().references('complaints.id')).execute();
    await db.schema.alterTable('evaluation_cases')
      .addCheckConstraint('evaluation_cases_one_subject', sql`(evaluation_id is null) <> (complaint_id is null)`).execute();
    return;
  }
  // SQLite cannot drop a NOT NULL: both case tables are built again beside the old ones, filled
  // with the same rows (ids kept), and take their names. The steps are rebuilt too, so that
  // dropping the old cases table cascades into nothing.
  await db.schema
    .createTable('evaluation_cases_new')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('hall_id', 'integer', (c) => c.notNull().references('halls.id').onDelete('cascade'))
    .addColumn('evaluation_id', 'integer', (c) => c.unique().references('evaluations.id'))
    .addColumn('complaint_id', 'integer', (c) => c.unique().references('complaints.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('owner_staff_id', 'integer', (c) => c.references('staff.id'))
    .addColumn('verify_due_at', 'integer', (c) => c.notNull())
    .addColumn('rectify_due_at', 'integer', (c) => c.notNull())
    .addColumn('citizen_satisfied', 'integer')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .addColumn('closed_at', 'integer')
    .addCheckConstraint('evaluation_cases_one_subject', sql`(evaluation_id is null) <> (complaint_id is null)`)
    .execute();
  await sql`insert into evaluation_cases_new (id, hall_id, evaluation_id, state, owner_staff_id, verify_due_at, rectify_due_at, citizen_satisfied, created_at, updated_at, closed_at)
    select id, hall_id, evaluation_id, state, owner_staff_id, verify_due_at, rectify_due_at, citizen_satisfied, created_at, updated_at, closed_at from evaluation_cases`.execute(db);
  await db.schema
    .createTable('case_steps_new')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('case_id', 'integer', (c) => c.notNull().references('evaluation_cases_new.id').onDelete('cascade'))
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'integer', (c) => c.references('staff.id'))
    .addColumn('at', 'integer', (c) => c.notNull())
    .execute();
  await sql`insert into case_steps_new (id, case_id, from_state, to_state, note, staff_id, at)
    select id, case_id, from_state, to_state, note, staff_id, at from case_steps`.execute(db);
  await db.schema.dropTable('case_steps').execute();
  await db.schema.dropTable('evaluation_cases').execute();
  // Renaming rewrites the steps' reference to the cases table (SQLite ≥ 3.26).
  await db.schema.alterTable('evaluation_cases_new').renameTo('evaluation_cases').execute();
  await db.schema.alterTable('case_steps_new').renameTo('case_steps').execute();
  await db.schema.createIndex('evaluation_cases_state').on('evaluation_cases').columns(['hall_id', 'state']).execute();
  await db.schema.createIndex('case_steps_case').on('case_steps').column('case_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('evaluation_cases').where('complaint_id', 'is not', null).execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await db.schema.alterTable('evaluation_cases').dropConstraint('evaluation_cases_one_subject').execute();
    await db.schema.alterTable('evaluation_cases').dropColumn('complaint_id').execute();
    await db.schema.alterTable('evaluation_cases').alterColumn('evaluation_id', (c) => c.setNotNull()).execute();
  }
  // On SQLite the (empty) complaint_id column stays: a UNIQUE column cannot be dropped there.
  await db.schema.dropTable('complaints').execute();
}
