import type { Insertable, Kysely, Updateable } from 'kysely';
import type { Database, ServiceRow, ServicesTable } from '../db/schema.js';
import { prepared } from '../db/prepared.js';

export async function listServices(db: Kysely<Database>, hallId: number): Promise<ServiceRow[]> {
  return db.selectFrom('services').selectAll().where('hall_id', '=', hallId).orderBy('sort_order').orderBy('id').execute();
}

export async function findService(db: Kysely<Database>, hallId: number, id: number): Promise<ServiceRow | undefined> {
  return db.selectFrom('services').selectAll().where('hall_id', '=', hallId).where('id', '=', id).executeTakeFirst();
}

/** Another service of the hall already using this prefix or code, if any. */
export async function findClash(
  db: Kysely<Database>, hallId: number, prefix: string | undefined, code: string | undefined, exceptId: number | null,
): Promise<ServiceRow | undefined> {
  let q = db.selectFrom('services').selectAll().where('hall_id', '=', hallId)
    .where((eb) => eb.or([eb('prefix', '=', prefix ?? ''), eb('code', '=', code ?? '')]));
  if (exceptId !== null) q = q.where('id', '<>', exceptId);
  return q.executeTakeFirst();
}

export async function insertService(db: Kysely<Database>, row: Insertable<ServicesTable>): Promise<ServiceRow> {
  return db.insertInto('services').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateService(db: Kysely<Database>, id: number, changes: Updateable<ServicesTable>): Promise<ServiceRow> {
  return db.updateTable('services').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** The service's moving average of handling time (ms), as the last finished ticket left it. */
export async function handlingAverage(db: Kysely<Database>, id: number): Promise<number> {
  const row = await averageOf.first(db, id);
  if (!row) throw new Error(`service ${id} does not exist`);
  return row.ewma_handling_ms;
}

const averageOf = prepared((db, id: number) => db.selectFrom('services').select('ewma_handling_ms').where('id', '=', id));

/** Sets the service's moving average of handling time (the one column a finished ticket writes). */
export async function setHandlingAverage(db: Kysely<Database>, id: number, ms: number): Promise<void> {
  await averageSet.run(db, id, ms);
}

const averageSet = prepared((db, id: number, ms: number) => db.updateTable('services').set({ ewma_handling_ms: ms }).where('id', '=', id));
