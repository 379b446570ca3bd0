import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, type PostgresPool } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect';
import { dbOnPool, openPool } from './pool';
import { openReplica, type Replica } from './replica';
import type { Database } from './schema';

export { PREPARED } from './pool';

export type Db = Kysely<Database>;
export type DbBackend = 'pglite' | 'postgres';

// Both drivers return the same JavaScript types: int8 (bigserial, count(*)) as number — every
// count here is far below 2^53 — and `date` as the 'YYYY-MM-DD' text, never a Date shifted by
// the server's time zone. numeric stays a string on both.
const INT8 = 20;
const DATE = 1082;
pg.types.setTypeParser(INT8, (v: string) => Number(v));
pg.types.setTypeParser(DATE, (v: string) => v);

export type OpenOptions = {
	databaseUrl?: string;
	pgliteDir: string;
	poolMax?: number;
	/** named prepared statements for PREPARED; by default unless the URL leads to pgbouncer */
	prepared?: boolean;
};

export type Opened = {
	db: Db;
	backend: DbBackend;
	/** the PostgreSQL pool, for a read replica to fall back on */
	pool?: PostgresPool;
};

const embedded = new WeakSet<Db>();

/**
 * Whether `db` (as opened, not a transaction of it) is an embedded database: one connection, one
 * process, so a transaction holds up every other query until it ends.
 */
export const isEmbedded = (db: Db): boolean => embedded.has(db);

export function openDb(options: OpenOptions): Opened {
	if (options.databaseUrl) {
		const { pool, connectionString } = openPool(options.databaseUrl, {
			max: options.poolMax ?? 10,
			prepared: options.prepared
		});
		return { db: dbOnPool(pool, connectionString), backend: 'postgres', pool };
	}
	if (!options.pgliteDir.startsWith('memory://')) mkdirSync(options.pgliteDir, { recursive: true });
	const pglite = new PGlite(options.pgliteDir, {
		parsers: { [DATE]: (v: string) => v }
	});
	const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
	embedded.add(db);
	return { db, backend: 'pglite' };
}

let current: Opened | undefined;
let reads: Replica | undefined;

async function opened(): Promise<Opened> {
	if (!current) {
		const { config } = await import('../config');
		const c = config();
		current = openDb({
			databaseUrl: c.databaseUrl,
			pgliteDir: c.pgliteDir,
			poolMax: c.databasePoolMax,
			prepared: c.databasePrepared
		});
		if (c.databaseReadUrl && current.pool)
			reads = openReplica(current.pool, {
				readUrl: c.databaseReadUrl,
				poolMax: c.databaseReadPoolMax,
				prepared: c.databasePrepared
			});
	}
	return current;
}

/** The application's database, opened on first use (never while `vite build` analyses modules). */
export async function getDb(): Promise<Db> {
	return (await opened()).db;
}

/**
 * The read replica (DATABASE_READ_URL), if there is one. Only for reads that may lag behind the
 * primary: see read.ts for who may use it and how a request chooses.
 */
export async function getReplica(): Promise<Replica | undefined> {
	await opened();
	return reads;
}

export function currentBackend(): DbBackend | undefined {
	return current?.backend;
}

export async function closeDb(): Promise<void> {
	const open = current;
	const replica = reads;
	current = undefined;
	reads = undefined;
	await replica?.close();
	await open?.db.destroy();
}

/**
 * Runs `work` in a transaction: the caller's, when `db` already is one, else a new one. Lets a
 * service function be used alone or as one step of a larger transaction.
 */
export function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
	return db.isTransaction ? work(db) : db.transaction().execute(work);
}
