/** A fresh PostgreSQL schema with the demo hall open all day, for benchmarks with two server processes. */
import pg from 'pg';
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

/**
 * The PostgreSQL ceiling for one hall: `connections` clients for `seconds`, each transaction
 * taking the hall's row lock with the counter upsert and writing the ticket and the event under
 * it (the three statements of the raw SQLite loop), then committing. Issues per second.
 */
export async function rawPostgresLoop(url: string, connections: number, seconds: number): Promise<number> {
  const schema = `bench_raw_${process.pid}`;
  const pool = new pg.Pool({ connectionString: url, max: connections, options: `-c search_path=${schema}` });
  try {
    await pool.query(`create schema ${schema}`);
    await pool.query(`create table counters (hall_id integer, day text, last integer, primary key (hall_id, day));
      create table tickets (id serial primary key, hall_id integer, number integer, token text, issued_at bigint);
      create table events (hall_id integer, seq integer, type text, payload text, created_at bigint, primary key (hall_id, seq))`);
    let issued = 0;
    const until = performance.now() + seconds * 1000;
    const started = performance.now();
    await Promise.all(Array.from({ length: connections }, async () => {
      const client = await pool.connect();
      try {
        while (performance.now() < until) {
          await client.query('begin');
          const { rows } = await client.query<{ last: number }>(
            `insert into counters values (1, '2026-12-04', 1) on conflict (hall_id, day) do update set last = counters.last + 1 returning last`);
          const last = rows[0]!.last;
          await client.query('insert into tickets (hall_id, number, token, issued_at) values (1, $1, $2, $3)', [last, crypto.randomUUID(), Date.now()]);
          await client.query(`insert into events values (1, $1, 'ticket:issued', $2, $3)`, [last, JSON.stringify({ number: last }), Date.now()]);
          await client.query('commit');
          issued++;
        }
      } finally {
        client.release();
      }
    }));
    return issued / ((performance.now() - started) / 1000);
  } finally {
    await pool.query(`drop schema if exists ${schema} cascade`).catch(() => undefined);
    await pool.end();
  }
}
