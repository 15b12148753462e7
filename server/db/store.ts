import type { Config } from '../config.js';
import { type Db, openDatabase } from './connect.js';
import { openPostgres } from './postgres.js';

/** The configured store: PostgreSQL when DATABASE_URL is set, else the SQLite file (the default). */
export function openStore(config: Pick<Config, 'postgres' | 'databaseFile' | 'dbBusyTimeoutMs'>): Db {
  if (config.postgres) return openPostgres(config.postgres.url, config.postgres);
  return openDatabase(config.databaseFile, { busyTimeoutMs: config.dbBusyTimeoutMs });
}

/** Where the data lives, for messages (never the PostgreSQL URL, which may carry a password). */
export function storeName(config: Pick<Config, 'postgres' | 'databaseFile'>): string {
  if (!config.postgres) return config.databaseFile;
  const url = new URL(config.postgres.url);
  return `postgres ${url.host}${url.pathname}`;
}
