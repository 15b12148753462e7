import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('evaluations')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('hall_id', 'integer', (c) => c.notNull().references('halls.id').onDelete('cascade'))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().unique().references('tickets.id')) // 一次一评
    .addColumn('service_id', 'integer', (c) => c.notNull().references('services.id'))
    .addColumn('window_id', 'integer', (c) => c.references('windows.id'))
    .addColumn('staff_id', 'integer', (c) => c.references('staff.id'))
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('contact', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('business_day', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('appeal_state', 'text', (c) => c.notNull())
    .addColumn('appeal_reason', 'text')
    .addColumn('appealed_by', 'integer', (c) => c.references('staff.id'))
    .addColumn('appealed_at', 'integer')
    .addColumn('decision_reason', 'text')
    .addColumn('decided_by', 'integer', (c) => c.references('staff.id'))
    .addColumn('decided_at', 'integer')
    .execute();
  await db.schema.createIndex('evaluations_day').on('evaluations').columns(['hall_id', 'business_day']).execute();

  await db.schema
    .createTable('evaluation_cases')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('hall_id', 'integer', (c) => c.notNull().references('halls.id').onDelete('cascade'))
    .addColumn('evaluation_id', 'integer', (c) => c.notNull().unique().references('evaluations.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('owner_staff_id', 'integer', (c) => c.references('staff.id'))
    .addColumn('verify_due_at', 'integer', (c) => c.notNull())
    .addColumn('rectify_due_at', 'integer', (c) => c.notNull())
    .addColumn('citizen_satisfied', 'integer')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .addColumn('closed_at', 'integer')
    .execute();
  await db.schema.createIndex('evaluation_cases_state').on('evaluation_cases').columns(['hall_id', 'state']).execute();

  await db.schema
    .createTable('case_steps')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('case_id', 'integer', (c) => c.notNull().references('evaluation_cases.id').onDelete('cascade'))
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'integer', (c) => c.references('staff.id'))
    .addColumn('at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_steps_case').on('case_steps').column('case_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['case_steps', 'evaluation_cases', 'evaluations']) await db.schema.dropTable(table).execute();
}
