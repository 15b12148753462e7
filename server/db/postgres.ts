import {
  ColumnDefinitionNode, DataTypeNode, GeneratedNode, Kysely, OperationNodeTransformer, PostgresAdapter, PostgresDialect, sql,
  type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow,
} from 'kysely';
import pg from 'pg';
import type { Database as Schema } from './schema.js';

export interface PostgresOptions {
  /** Connections this process keeps at most. */
  poolSize: number;
  /** How long a request waits for a free connection before a 503 (DATABASE_POOL_EXHAUSTED). */
  poolWaitMs: number;
  /** Any one statement longer than this is cancelled (503 DATABASE_TIMEOUT). */
  statementTimeoutMs: number;
  /** Tests: each gets its own schema on the shared test database. */
  schema?: string;
}

const INT8 = 20;
const NUMERIC = 1700;

/**
 * Epoch-ms times, ids, counts and sums are JavaScript numbers everywhere in this system, as
 * better-sqlite3 returns them. pg returns bigint and numeric as strings (they can exceed 2^53);
 * ours never do: the largest is a time in ms (~2^41).
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

/** Every open PostgreSQL Kysely, with its pool (the start-up lock takes a connection of its own). */
const pools = new WeakMap<Kysely<any>, pg.Pool>();

/** Whether this database, or this transaction of one, is PostgreSQL. */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export function openPostgres(url: string, options: PostgresOptions): Kysely<Schema> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize,
    connectionTimeoutMillis: options.poolWaitMs,
    idleTimeoutMillis: 30_000,
    statement_timeout: options.statementTimeoutMs,
    // A transaction left open by a crashed request must not hold a hall's lock for long.
    idle_in_transaction_session_timeout: Math.max(options.statementTimeoutMs * 2, 10_000),
    application_name: 'hall-queue',
    types,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle connection that the server dropped (restart, failover) must not crash the process.
  pool.on('error', () => {});
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  return db;
}

/** PostgreSQL's SQLSTATE classes that mean "the store", not the request: answered 503. */
export function postgresFault(err: unknown): { code: string; message: string } | null {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  if (message.startsWith('timeout exceeded when trying to connect') || message === 'Connection terminated due to connection timeout') {
    return { code: 'DATABASE_POOL_EXHAUSTED', message: 'Every database connection is in use; try again in a moment.' };
  }
  if (code === '57014') return { code: 'DATABASE_TIMEOUT', message: 'The database took too long to answer; try again in a moment.' };
  if (code === '40001' || code === '40P01' || code === '55P03') return { code: 'DATABASE_BUSY', message: 'The database is busy; try again in a moment.' };
  if (code === '53100') return { code: 'STORAGE_FULL', message: 'The database server\'s disk is full; nothing can be saved until space is freed.' };
  if (code.startsWith('53') || code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03'
    || code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT' || code === 'ENOTFOUND' || message === 'Connection terminated unexpectedly') {
    return { code: 'DATABASE_UNAVAILABLE', message: 'The database server cannot be reached; try again in a moment.' };
  }
  if (code === '25006') return { code: 'STORAGE_READONLY', message: 'The database is read-only (a standby); writes go to the primary.' };
  return null;
}

/**
 * The migrations were written for SQLite, whose `integer` is 64-bit and whose `autoincrement`
 * keys are rowids. On PostgreSQL the same schema needs `bigint` (epoch-ms times overflow a
 * 32-bit integer), `double precision` for `real`, and identity columns for generated keys.
 * Translating the schema statements keeps one list of migrations, never edited, for both.
 */
class SqliteTypesOnPostgres extends OperationNodeTransformer {
  protected override transformDataType(node: DataTypeNode): DataTypeNode {
    if (node.dataType === 'integer') return DataTypeNode.create('bigint');
    if (node.dataType === 'real') return DataTypeNode.create('double precision');
    if (node.dataType === 'blob') return DataTypeNode.create('bytea');
    return super.transformDataType(node);
  }

  protected override transformColumnDefinition(node: ColumnDefinitionNode): ColumnDefinitionNode {
    const column = super.transformColumnDefinition(node);
    if (!column.autoIncrement) return column;
    return ColumnDefinitionNode.cloneWith(column, {
      autoIncrement: false,
      generated: GeneratedNode.create({ byDefault: true, identity: true }),
    });
  }
}

export class SchemaForPostgres implements KyselyPlugin {
  readonly #transformer = new SqliteTypesOnPostgres();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node);
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/**
 * Holds a session-level advisory lock while `work` runs, so two processes starting together
 * do not both seed a new database (migrations have their own lock in Kysely's Migrator).
 */
export async function withStartupLock<T>(db: Kysely<any>, work: () => Promise<T>): Promise<T> {
  const pool = pools.get(db);
  if (!pool) return work();
  const client = await pool.connect();
  try {
    // However long the first process takes to migrate and seed, the others wait for it: the
    // statement timeout (meant for requests) would otherwise cancel the wait and end them.
    await client.query('set statement_timeout = 0');
    await client.query('select pg_advisory_lock($1)', [0x48515545]);
    try {
      return await work();
    } finally {
      await client.query('select pg_advisory_unlock($1)', [0x48515545]);
    }
  } finally {
    // Back to the pool with the pool's timeout, or (when that fails) not back at all.
    const reset = await client.query('reset statement_timeout').then(() => undefined, (err: unknown) => (err instanceof Error ? err : new Error(String(err))));
    client.release(reset);
  }
}

/** Drops and recreates a schema (tests: one per hall built). */
export async function freshSchema(db: Kysely<any>, schema: string): Promise<void> {
  await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
  await sql`create schema ${sql.id(schema)}`.execute(db);
}
