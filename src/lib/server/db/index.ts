import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { isDatabaseUnavailable } from '../http/unavailable';
import { log } from '../log';
import { PGliteDialect } from './pglite-dialect';
import type { Database } from './schema';

export type Db = Kysely<Database>;
export type DbBackend = 'pglite' | 'postgres';

// Both drivers return the same JavaScript types: int8 (bigserial, count(*)) as number — every
// count here is far below 2^53 — and `date` as the 'YYYY-MM-DD' text, never a Date shifted by
// the server's time zone. numeric stays a string on both.
const INT8 = 20;
const DATE = 1082;
pg.types.setTypeParser(INT8, (v: string) => Number(v));
pg.types.setTypeParser(DATE, (v: string) => v);

export type OpenOptions = { databaseUrl?: string; pgliteDir: string; poolMax?: number };

/**
 * Marks a hot statement (put it in the SQL text): on PostgreSQL it becomes a named prepared
 * statement, parsed and planned once per connection instead of on every call. Only for
 * statements whose text never varies; elsewhere it is a plain comment.
 */
export const PREPARED = '/* prepared */';
const statementNames = new Map<string, string>();

function statementName(text: string): string {
	let name = statementNames.get(text);
	if (!name) {
		name = `cv_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
		statementNames.set(text, name);
	}
	return name;
}

/** The pool as Kysely sees it, with PREPARED statements run by name. */
function preparingPool(pool: pg.Pool): PostgresPool {
	return {
		connect: async () => {
			const client = await pool.connect();
			// A connection that dies while checked out (the server restarting, say) emits 'error'
			// besides failing its query; the pool listens only to idle ones, and an 'error' nobody
			// listens to ends the process. The query's own error reaches the request; the dead
			// connection is handed back as broken so the pool drops it.
			let lost: Error | undefined;
			const onError = (e: Error) => (lost = e);
			client.on('error', onError);
			// Kysely sends SQL text and parameters (it uses no cursors here). A query can fail with
			// the server's "terminating connection" before the socket's 'error' arrives: that
			// connection is lost too, or the next query would be handed a dead one.
			const query = (text: string, values: unknown[]) =>
				client
					.query(
						text.includes(PREPARED) ? { name: statementName(text), text, values } : { text, values }
					)
					.catch((e: unknown) => {
						if (isDatabaseUnavailable(e)) lost ??= e as Error;
						throw e;
					});
			return {
				query: query as unknown as PostgresPoolClient['query'],
				release: () => {
					client.removeListener('error', onError);
					client.release(lost);
				}
			};
		},
		end: () => pool.end()
	};
}

const embedded = new WeakSet<Db>();

/**
 * Whether `db` (as opened, not a transaction of it) is an embedded database: one connection, one
 * process, so a transaction holds up every other query until it ends.
 */
export const isEmbedded = (db: Db): boolean => embedded.has(db);

export function openDb(options: OpenOptions): { db: Db; backend: DbBackend } {
	if (options.databaseUrl) {
		const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolMax ?? 10 });
		// An idle connection cut by the server (restart, failover) must not crash the process;
		// the pool drops it and the next query opens a new one.
		pool.on('error', (e) => log.warn('database: idle connection lost', { reason: e.message }));
		return {
			db: new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) }),
			backend: 'postgres'
		};
	}
	if (!options.pgliteDir.startsWith('memory://')) mkdirSync(options.pgliteDir, { recursive: true });
	const pglite = new PGlite(options.pgliteDir, {
		parsers: { [DATE]: (v: string) => v }
	});
	const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
	embedded.add(db);
	return { db, backend: 'pglite' };
}

let current: { db: Db; backend: DbBackend } | undefined;

/** The application's database, opened on first use (never while `vite build` analyses modules). */
export async function getDb(): Promise<Db> {
	if (!current) {
		const { config } = await import('../config');
		const c = config();
		current = openDb({
			databaseUrl: c.databaseUrl,
			pgliteDir: c.pgliteDir,
			poolMax: c.databasePoolMax
		});
	}
	return current.db;
}

export function currentBackend(): DbBackend | undefined {
	return current?.backend;
}

export async function closeDb(): Promise<void> {
	const open = current;
	current = undefined;
	await open?.db.destroy();
}

/**
 * Runs `work` in a transaction: the caller's, when `db` already is one, else a new one. Lets a
 * service function be used alone or as one step of a larger transaction.
 */
export function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
	return db.isTransaction ? work(db) : db.transaction().execute(work);
}
