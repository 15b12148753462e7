import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  CompiledQuery, type DatabaseConnection, type Driver, Kysely, type QueryResult, sql, SqliteAdapter, SqliteIntrospector,
  SqliteQueryCompiler, type Dialect, type TransactionSettings,
} from 'kysely';
import { Migrator } from 'kysely/migration';
import { migrationProvider, SCHEMA_VERSION } from '../../migrations/index.js';
import { ServiceUnavailableError } from '../errors.js';
import { isPostgres, postgresFault, SchemaForPostgres } from './postgres.js';
import type { Database as Schema } from './schema.js';

export type Db = Kysely<Schema>;

/** Marks a SQLite file as this system's (PRAGMA application_id): "HQUE". */
export const APPLICATION_ID = 0x48515545;
const SQLITE_MAGIC = 'SQLite format 3\0';

/** A database file we must not open: foreign, newer, corrupt or unreadable. The message says what to do. */
export class DatabaseFileError extends Error {}

export interface StorageStatus {
  /** Set while writes fail for lack of space or an I/O error; cleared by the next successful write. */
  failing: { code: string; message: string; since: number } | null;
}

const statuses = new WeakMap<Db, { status: StorageStatus; probe: () => Promise<void> }>();

/** Whether writes currently fail, as the write path last saw it. */
export function storageStatus(db: Db): StorageStatus {
  return statuses.get(db)?.status ?? { failing: null };
}

/**
 * Tries one small durable write (only while writes are failing), so a health check notices
 * when space has come back even if nobody has written since.
 */
export async function probeStorage(db: Db): Promise<void> {
  await statuses.get(db)?.probe();
}

/** The store's faults (SQLite's disk, PostgreSQL's server): answered 503 with these codes, never 500. */
export function storageFault(err: unknown): { code: string; message: string } | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return postgresFault(err);
  if (code === 'SQLITE_FULL') return { code: 'STORAGE_FULL', message: 'The server\'s disk is full; nothing can be saved until space is freed.' };
  if (code.startsWith('SQLITE_IOERR')) return { code: 'STORAGE_ERROR', message: 'The server cannot write to its disk.' };
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) {
    return { code: 'STORAGE_READONLY', message: 'The server\'s database cannot be written (read-only or removed).' };
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return { code: 'STORAGE_CORRUPT', message: 'The server\'s database is damaged; restore a backup.' };
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return { code: 'DATABASE_BUSY', message: 'The database is busy; try again in a moment.' };
  return null;
}

/**
 * Reads the file's header (without opening it through SQLite, which would create -wal and -shm
 * files next to it) and refuses anything that is not a database of ours, or is of a newer schema.
 * Returns whether the file is new (absent or empty).
 */
export function checkDatabaseFile(file: string): 'new' | 'ours' | 'legacy' {
  let header: Buffer;
  try {
    if (!fs.existsSync(file) || fs.statSync(file).size === 0) return 'new';
    const fd = fs.openSync(file, 'r');
    try {
      header = Buffer.alloc(100);
      fs.readSync(fd, header, 0, 100, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DatabaseFileError(`cannot read the database file ${file} (${code ?? 'error'}): check that it exists and this user may read and write it.`);
  }
  if (header.toString('latin1', 0, 16) !== SQLITE_MAGIC) {
    throw new DatabaseFileError(`${file} is not a SQLite database (corrupt, or another program's file): restore it from a backup, or point DATABASE_FILE elsewhere.`);
  }
  const applicationId = header.readUInt32BE(68);
  const userVersion = header.readUInt32BE(60);
  if (applicationId === APPLICATION_ID) {
    if (userVersion > SCHEMA_VERSION) {
      throw new DatabaseFileError(`${file} was written by a newer version of this system (schema ${userVersion}, this one knows ${SCHEMA_VERSION}): run the newer version, or restore a backup made by this one.`);
    }
    return 'ours';
  }
  if (applicationId === 0 && isOurUnmarkedDatabase(file)) return 'legacy';
  throw new DatabaseFileError(`${file} belongs to another application (SQLite application_id ${applicationId}); it was not touched. Point DATABASE_FILE or DATA_DIR at this system's own database.`);
}

/**
 * A file from before databases were marked, or one whose first start stopped before it was:
 * no tables at all, or this system's migration table. Read from an in-memory copy, so nothing
 * is written next to a file that may turn out to be foreign.
 */
function isOurUnmarkedDatabase(file: string): boolean {
  const LIMIT = 64 * 1024 * 1024; // the schema lives in the first pages
  const fd = fs.openSync(file, 'r');
  let image: Buffer;
  try {
    image = Buffer.alloc(Math.min(fs.fstatSync(fd).size, LIMIT));
    fs.readSync(fd, image, 0, image.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  // The header may say WAL mode, which an in-memory copy cannot open; say rollback mode instead.
  image[18] = 1;
  image[19] = 1;
  let copy: Database.Database | undefined;
  try {
    copy = new Database(image, { readonly: true });
    const tables = copy.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`).pluck().all() as string[];
    if (tables.length === 0) return true;
    if (!tables.includes('kysely_migration')) return false;
    const first = copy.prepare('select name from kysely_migration order by name limit 1').pluck().get();
    return first === '2026_11_25_0001_initial';
  } catch {
    return false; // unreadable as a database of ours: treated as foreign, and left alone
  } finally {
    copy?.close();
  }
}

/** A small async mutex with a deadline: waiting never blocks the event loop. */
class WriteLock {
  #held = false;
  #queue: (() => void)[] = [];

  async acquire(deadline: number): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const grant = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#queue.splice(this.#queue.indexOf(grant), 1);
        reject(busyError());
      }, Math.max(0, deadline - Date.now()));
      this.#queue.push(grant);
    });
  }

  release(): void {
    const next = this.#queue.shift();
    if (next) next();
    else this.#held = false;
  }
}

function busyError(): ServiceUnavailableError {
  return new ServiceUnavailableError('DATABASE_BUSY', 'The database is busy (another program holds it); try again in a moment.');
}

const isBusy = (err: unknown) => /^SQLITE_(BUSY|LOCKED)/.test(String((err as { code?: unknown } | null)?.code ?? ''));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function run(db: Database.Database, statements: Map<string, Database.Statement>, query: CompiledQuery): QueryResult<unknown> {
  let stmt = statements.get(query.sql);
  if (!stmt) {
    stmt = db.prepare(query.sql);
    if (statements.size > 500) statements.clear();
    statements.set(query.sql, stmt);
  }
  const parameters = query.parameters as unknown[];
  if (stmt.reader) return { rows: stmt.all(parameters) };
  const { changes, lastInsertRowid } = stmt.run(parameters);
  return { insertId: BigInt(lastInsertRowid), numAffectedRows: BigInt(changes), rows: [] };
}

interface Connections {
  writer: Database.Database;
  /** A second, read-only connection for reads outside transactions (files only; see below). */
  reader: Database.Database | null;
  /** A third, for read-only transactions (a consistent snapshot), so plain reads stay fresh. */
  snapshots: Database.Database | null;
  busyTimeoutMs: number;
  status: StorageStatus;
}

/**
 * One lease per Kysely acquire. Reads outside a transaction go to the reader connection: in WAL
 * mode they see the last commit and never wait for a writer, so a held write lock cannot stall
 * them. Transactions take the in-process write lock, then SQLite's (BEGIN IMMEDIATE), both
 * waited for asynchronously with a deadline. An in-memory database has one connection, so there
 * every query takes the lock, as a read could otherwise see another request's uncommitted rows.
 */
class Lease implements DatabaseConnection {
  inTransaction = false;
  /** In a read-only transaction on the reader connection (a consistent snapshot). */
  inSnapshot = false;
  holdsLock = false;
  constructor(readonly c: Connections, readonly lock: WriteLock, readonly cache: Record<'writer' | 'reader' | 'snapshots', Map<string, Database.Statement>>) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.inTransaction) return this.#write(query) as QueryResult<R>;
    if (this.inSnapshot) return (await retryBusy(() => run(this.c.snapshots!, this.cache.snapshots, query), Date.now() + this.c.busyTimeoutMs)) as QueryResult<R>;
    if (this.c.reader && isReadOnly(query.sql)) return (await this.#read(query)) as QueryResult<R>;
    // A single write outside a transaction (pragmas, migrations' bookkeeping) or any query on an
    // in-memory database: serialized with the transactions.
    await this.lock.acquire(Date.now() + this.c.busyTimeoutMs);
    try {
      return (await retryBusy(() => this.#write(query), Date.now() + this.c.busyTimeoutMs)) as QueryResult<R>;
    } finally {
      this.lock.release();
    }
  }

  #write(query: CompiledQuery): QueryResult<unknown> {
    try {
      return run(this.c.writer, this.cache.writer, query);
    } catch (err) {
      noteFault(this.c.status, err);
      throw err;
    }
  }

  async #read(query: CompiledQuery): Promise<QueryResult<unknown>> {
    return retryBusy(() => run(this.c.reader!, this.cache.reader, query), Date.now() + this.c.busyTimeoutMs);
  }

  async *streamQuery(): AsyncIterableIterator<QueryResult<never>> {
    throw new Error('streaming is not used');
  }
}

function isReadOnly(sqlText: string): boolean {
  return /^\s*(select|with)\b/i.test(sqlText) && !/\b(insert|update|delete|replace)\b/i.test(sqlText);
}

async function retryBusy<T>(work: () => T, deadline: number): Promise<T> {
  for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
    try {
      return work();
    } catch (err) {
      if (!isBusy(err)) throw err;
      if (Date.now() + wait > deadline) throw busyError();
      await pause(wait);
    }
  }
}

class HallDriver implements Driver {
  readonly #lock = new WriteLock();
  /** One snapshot at a time on the snapshot connection. */
  readonly #snapshotLock = new WriteLock();
  #snapshotHolder: Lease | null = null;
  readonly #cache = { writer: new Map<string, Database.Statement>(), reader: new Map<string, Database.Statement>(), snapshots: new Map<string, Database.Statement>() };
  constructor(readonly c: Connections) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new Lease(this.c, this.#lock, this.#cache);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const lease = connection as Lease;
    const deadline = Date.now() + this.c.busyTimeoutMs;
    if (settings.accessMode === 'read only' && this.c.snapshots) {
      // A consistent read (a snapshot with its seq) never needs, or waits for, the write lock.
      await this.#snapshotLock.acquire(deadline);
      this.#snapshotHolder = lease;
      this.c.snapshots.exec('begin');
      lease.inSnapshot = true;
      return;
    }
    await this.#lock.acquire(deadline);
    lease.holdsLock = true;
    try {
      // IMMEDIATE takes SQLite's write lock now: two processes sharing the file cannot both read
      // and then fail to upgrade. The wait for it is a retry loop on timers, not busy_timeout,
      // which would spin inside SQLite and freeze the event loop.
      await retryBusy(() => this.c.writer.exec('begin immediate'), deadline);
      lease.inTransaction = true;
    } catch (err) {
      this.#unlock(lease);
      throw err;
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    if (lease.inSnapshot) return this.#endSnapshot(lease);
    try {
      await retryBusy(() => this.c.writer.exec('commit'), Date.now() + this.c.busyTimeoutMs);
      this.c.status.failing = null;
    } catch (err) {
      noteFault(this.c.status, err);
      throw err;
    }
    lease.inTransaction = false;
    this.#unlock(lease);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    if (lease.inSnapshot) return this.#endSnapshot(lease);
    lease.inTransaction = false;
    try {
      // After SQLITE_FULL or an I/O error SQLite may already have rolled back by itself; a second
      // ROLLBACK would fail with "no transaction is active" and hide the real error.
      if (this.c.writer.inTransaction) this.c.writer.exec('rollback');
    } finally {
      this.#unlock(lease);
    }
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    if (lease.inSnapshot) this.#endSnapshot(lease);
    if (lease.holdsLock) {
      if (this.c.writer.inTransaction) this.c.writer.exec('rollback');
      this.#unlock(lease);
    }
  }

  async destroy(): Promise<void> {
    this.c.reader?.close();
    this.c.snapshots?.close();
    this.c.writer.close();
  }

  #endSnapshot(lease: Lease): void {
    lease.inSnapshot = false;
    if (this.#snapshotHolder !== lease) return;
    this.#snapshotHolder = null;
    if (this.c.snapshots!.inTransaction) this.c.snapshots!.exec('commit');
    this.#snapshotLock.release();
  }

  #unlock(lease: Lease): void {
    if (!lease.holdsLock) return;
    lease.holdsLock = false;
    this.#lock.release();
  }
}

function noteFault(status: StorageStatus, err: unknown): void {
  const fault = storageFault(err);
  if (fault && fault.code !== 'DATABASE_BUSY' && status.failing === null) status.failing = { ...fault, since: Date.now() };
}

class HallDialect implements Dialect {
  constructor(readonly c: Connections) {}
  createAdapter() {
    // Our driver serializes transactions itself and lets reads run beside them.
    return new (class extends SqliteAdapter {
      override get supportsMultipleConnections() {
        return true;
      }
    })();
  }
  createDriver() {
    return new HallDriver(this.c);
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }
}

export interface OpenOptions {
  /** How long a write may wait for the database lock before answering DATABASE_BUSY. */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating if needed) the SQLite file, or an in-memory database for ':memory:'. Refuses,
 * without writing anything, a file that is not this system's (DatabaseFileError).
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const memory = file === ':memory:';
  const kind = memory ? 'new' : checkDatabaseFile(file);
  if (!memory) restrictFiles(file);
  const writer = new Database(file);
  try {
    writer.pragma('busy_timeout = 0'); // waits happen on timers in this file, never inside SQLite
    if (kind === 'new' || kind === 'legacy') writer.pragma(`application_id = ${APPLICATION_ID}`);
    writer.pragma('journal_mode = WAL');
    writer.pragma('synchronous = FULL'); // a number handed out must survive a power cut
    // The WAL is emptied and cut back to this size whenever a checkpoint gets to its end, and
    // emptied at start (left by a crash or a full disk): it never keeps megabytes a full disk
    // needs back. Housekeeping checkpoints every minute too (checkpointWal), so readers that
    // keep overlapping cannot starve it.
    writer.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
    if (!memory) writer.pragma('wal_checkpoint(TRUNCATE)');
    writer.pragma('foreign_keys = ON');
  } catch (err) {
    writer.close();
    throw openError(file, err);
  }
  const readOnly = () => {
    const connection = new Database(file, { readonly: true });
    connection.pragma('busy_timeout = 0');
    return connection;
  };
  const status: StorageStatus = { failing: null };
  const connections: Connections = { writer, reader: memory ? null : readOnly(), snapshots: memory ? null : readOnly(), busyTimeoutMs: options.busyTimeoutMs ?? 5000, status };
  const db = new Kysely<Schema>({ dialect: new HallDialect(connections) });
  statuses.set(db, {
    status,
    probe: async () => {
      if (status.failing === null) return;
      // Write a page or two and take them back: fails while the disk (or quota) is full.
      await db.transaction().execute(async (trx) => {
        await trx.executeQuery(CompiledQuery.raw('create table if not exists storage_probe (data blob)'));
        await trx.executeQuery(CompiledQuery.raw('insert into storage_probe (data) values (zeroblob(16384))'));
        await trx.executeQuery(CompiledQuery.raw('delete from storage_probe'));
      });
    },
  });
  return db;
}

/**
 * The database holds names, phone numbers and the hall's secrets: its folder (when made here) is
 * 0700 and the file 0600, created so before SQLite opens it; SQLite gives its -wal and -shm the
 * main file's mode. A file left 0644 by an earlier version is tightened.
 */
function restrictFiles(file: string): void {
  const dir = path.dirname(file);
  if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    if (fs.existsSync(f) && (fs.statSync(f).mode & 0o077) !== 0) fs.chmodSync(f, 0o600);
  }
}

const WAL_SIZE_LIMIT = 4 * 1024 * 1024;

/**
 * Copies the WAL into the database and empties it, when no reader still needs its older pages
 * (otherwise it tries again next time). SQLite only; returns whether it got to the end.
 */
export async function checkpointWal(db: Db): Promise<boolean> {
  if (isPostgres(db)) return true;
  const { rows } = await sql<{ busy: number }>`pragma wal_checkpoint(TRUNCATE)`.execute(db);
  return rows[0]?.busy === 0;
}

/** One readable line for a file SQLite cannot use. */
export function openError(file: string, err: unknown): Error {
  if (err instanceof DatabaseFileError) return err;
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new DatabaseFileError(`${file} is corrupt (${code}): restore the latest backup (README, "Backups").`);
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM') || code.startsWith('SQLITE_AUTH')) {
    return new DatabaseFileError(`cannot open ${file} for writing (${code}): check the folder and file permissions.`);
  }
  if (code === 'SQLITE_FULL') return new DatabaseFileError(`the disk holding ${file} is full: free some space and start again.`);
  if (code.startsWith('SQLITE_BUSY')) return new DatabaseFileError(`${file} is locked by another program: stop it, or start this one with its own DATABASE_FILE.`);
  return err instanceof Error ? err : new Error(String(err));
}

export async function migrateToLatest(db: Db): Promise<void> {
  const postgres = isPostgres(db);
  // Migrations this version does not know were applied by a newer one: refuse before touching it.
  const known = new Set(Object.keys(await migrationProvider.getMigrations()));
  const { rows: tables } = postgres
    ? await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_name = 'kysely_migration'`.execute(db)
    : await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name = 'kysely_migration'`.execute(db);
  if (tables.length > 0) {
    const { rows: applied } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    const unknown = applied.map((m) => m.name).filter((name) => !known.has(name));
    if (unknown.length > 0) {
      throw new DatabaseFileError(`the database was upgraded by a newer version of this system (it has ${unknown.join(', ')}): run that version, or restore a backup made by this one.`);
    }
  }
  // One list of migrations for both stores: on PostgreSQL their SQLite types are translated.
  // Kysely looks for its own tables in every schema on PostgreSQL unless told which one is ours.
  const schema = postgres ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]!.schema : undefined;
  const migrator = new Migrator({
    db: postgres ? db.withPlugin(new SchemaForPostgres()) : db, provider: migrationProvider, ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration failed${failed ? ` at ${failed.migrationName}` : ''}`, { cause: error });
  }
  // The header records the schema version, so an older release refuses a newer file up front.
  // Written only when it changes: a start on a full disk must not need a write to get going.
  if (!postgres) {
    const { rows } = await sql<{ user_version: number }>`pragma user_version`.execute(db);
    if (rows[0]?.user_version !== SCHEMA_VERSION) await db.executeQuery(CompiledQuery.raw(`pragma user_version = ${SCHEMA_VERSION}`));
  }
}
