/** A fresh PostgreSQL schema with the demo hall open all day, for benchmarks with two server processes. */
import { freshSchema, openPostgres } from '../server/db/postgres.js';
import { type BenchHall, seedBenchHall } from './hall.js';

const adminOptions = { poolSize: 1, poolWaitMs: 5000, statementTimeoutMs: 60_000 };

export async function seedPostgres(url: string, schema: string): Promise<BenchHall> {
  const admin = openPostgres(url, adminOptions);
  try {
    await freshSchema(admin, schema);
  } finally {
    await admin.destroy();
  }
  const db = openPostgres(url, { ...adminOptions, schema });
  try {
    return await seedBenchHall(db);
  } finally {
    await db.destroy();
  }
}

export function postgresEnv(url: string, redisUrl: string, schema: string): Record<string, string> {
  return { DATABASE_URL: url, PGOPTIONS: `-c search_path=${schema}`, REDIS_URL: redisUrl, REDIS_PREFIX: `bench:${schema}` };
}

export async function dropPostgres(url: string, schema: string): Promise<void> {
  const admin = openPostgres(url, adminOptions);
  try {
    await admin.schema.dropSchema(schema).ifExists().cascade().execute();
  } finally {
    await admin.destroy();
  }
}
