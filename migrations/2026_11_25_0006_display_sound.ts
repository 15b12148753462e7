import type { Kysely } from 'kysely';

// What a hall display reports about its sound: whether the browser lets it play without a tap and
// whether a Chinese (zh-CN) voice is installed, so the manager's device page can say so.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('devices').addColumn('sound_allowed', 'integer').execute();
  await db.schema.alterTable('devices').addColumn('chinese_voice', 'integer').execute();
  await db.schema.alterTable('devices').addColumn('sound_reported_at', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['sound_reported_at', 'chinese_voice', 'sound_allowed']) {
    await db.schema.alterTable('devices').dropColumn(column).execute();
  }
}
