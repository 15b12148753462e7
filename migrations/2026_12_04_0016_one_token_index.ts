import type { Kysely } from 'kysely';

// A ticket's token had two indexes: the partial unique one on live entries (the phone page, the
// socket handshake and ratings look a token up among them) and a plain one that only found the
// first entry of a transfer chain. The first entry is now found through parent_ticket_id, so the
// plain index goes: every issue writes one random index page fewer.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tickets_token').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('tickets_token').on('tickets').column('token').execute();
}
