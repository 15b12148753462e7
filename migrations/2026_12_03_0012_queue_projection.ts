import { sql, type Kysely } from 'kysely';

// The live queue's size, kept beside the tickets: how many wait per hall, day and service (not
// counting tickets sent to one window). Every transition updates it in its own transaction, so
// issuing reads how many are ahead in one lookup, with 20 or 2,000 waiting, on any process.
// And the waiting queue in routing order inside an index: calling seeks the head of each
// service's queue per class, the appointments, and what was sent to its window, without
// reading the rest of the queue.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('queue_counts')
    .addColumn('hall_id', 'integer', (c) => c.notNull().references('halls.id').onDelete('cascade'))
    .addColumn('business_day', 'text', (c) => c.notNull())
    .addColumn('service_id', 'integer', (c) => c.notNull().references('services.id').onDelete('cascade'))
    .addColumn('waiting', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('queue_counts_pk', ['hall_id', 'business_day', 'service_id'])
    .execute();
  await sql`insert into queue_counts (hall_id, business_day, service_id, waiting)
            select hall_id, business_day, service_id, count(*) from tickets
            where status = 'waiting' and target_window_id is null
            group by hall_id, business_day, service_id`.execute(db);
  await db.schema
    .createIndex('tickets_waiting')
    .on('tickets')
    .columns(['hall_id', 'business_day', 'status', 'priority_class', 'target_window_id', 'service_id', 'queued_at', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tickets_waiting').execute();
  await db.schema.dropTable('queue_counts').execute();
}
