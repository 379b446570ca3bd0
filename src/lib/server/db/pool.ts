import { createHash } from 'node:crypto';
import {
	Kysely,
	PostgresAdapter,
	PostgresDialect,
	type PostgresPool,
	type PostgresPoolClient
} from 'kysely';
import pg from 'pg';
import { isDatabaseUnavailable } from './unavailable';
import { log } from '../log';
import type { Database } from './schema';
import { connectionOf } from './url';

type Db = Kysely<Database>;

/**
 * Marks a hot statement (put it in the SQL text): on PostgreSQL it becomes a named prepared
 * statement, parsed and planned once per connection instead of on every call. Only for
 * statements whose text never varies; elsewhere it is a plain comment. Behind a pooler in
 * transaction mode it is a plain comment too (see url.ts).
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

/** The pool as Kysely sees it, with PREPARED statements run by name when `prepared`. */
function preparingPool(pool: pg.Pool, prepared: boolean): PostgresPool {
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
						prepared && text.includes(PREPARED)
							? { name: statementName(text), text, values }
							: { text, values }
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

// Kysely's own migration lock (PostgresAdapter) is a session-level advisory lock taken and
// released by two statements outside any transaction: behind a pooler in transaction mode they
// may reach two different server connections, and the lock stays held on the first one for
// every later start. This one is a transaction-level lock (pg_advisory_xact_lock), held by a
// transaction kept open on a connection of its own for the whole run: it ends with that
// transaction, whatever happens to the process. Same key as Kysely's, so a server of an older
// version migrating at the same moment still waits. A server that finds it taken does not wait
// inside a transaction (behind pgbouncer each waiter would hold a server connection, and ten
// servers starting at once could take the whole pool from the one migrating): it tries again.
const MIGRATION_LOCK_KEY = '3853314791062309107';
const MIGRATION_LOCK_RETRY_MS = 250;
const MIGRATION_LOCK_WAIT_MS = 60 * 60 * 1000;

class TransactionLockAdapter extends PostgresAdapter {
	readonly #held = new WeakMap<object, pg.Client>();
	constructor(private readonly connectionString: string) {
		super();
	}
	override async acquireMigrationLock(db: Kysely<unknown>): Promise<void> {
		const client = new pg.Client({ connectionString: this.connectionString });
		client.on('error', (e) =>
			log.warn('database: migration lock connection lost', { reason: e.message })
		);
		await client.connect();
		try {
			const deadline = Date.now() + MIGRATION_LOCK_WAIT_MS;
			for (;;) {
				await client.query('begin');
				const { rows } = await client.query<{ locked: boolean }>(
					'select pg_try_advisory_xact_lock($1::bigint) as locked',
					[MIGRATION_LOCK_KEY]
				);
				if (rows[0]?.locked) break;
				await client.query('rollback');
				if (Date.now() > deadline) throw new Error('migrations: another server holds the lock');
				await new Promise((r) => setTimeout(r, MIGRATION_LOCK_RETRY_MS));
			}
		} catch (e) {
			await client.end().catch(() => undefined);
			throw e;
		}
		this.#held.set(db, client);
	}
	override async releaseMigrationLock(db: Kysely<unknown>): Promise<void> {
		const client = this.#held.get(db);
		this.#held.delete(db);
		if (!client) return;
		try {
			await client.query('commit');
		} finally {
			await client.end().catch(() => undefined);
		}
	}
}

class PoolDialect extends PostgresDialect {
	constructor(
		pool: PostgresPool,
		private readonly connectionString: string
	) {
		super({ pool });
	}
	override createAdapter() {
		return new TransactionLockAdapter(this.connectionString);
	}
}

export type PoolOptions = {
	max: number;
	prepared?: boolean;
	/** give up on connecting after this long (pg's default is to wait for ever) */
	connectTimeoutMs?: number;
};

/** A pg pool for `databaseUrl` as Kysely sees it, and the URL pg was given. */
export function openPool(
	databaseUrl: string,
	options: PoolOptions
): { pool: PostgresPool; connectionString: string } {
	const { connectionString, prepared } = connectionOf(databaseUrl, options.prepared);
	const pool = new pg.Pool({
		connectionString,
		max: options.max,
		connectionTimeoutMillis: options.connectTimeoutMs ?? 0
	});
	// An idle connection cut by the server (restart, failover) must not crash the process;
	// the pool drops it and the next query opens a new one.
	pool.on('error', (e) => log.warn('database: idle connection lost', { reason: e.message }));
	return { pool: preparingPool(pool, prepared), connectionString };
}

/** A Kysely instance over a pool made by openPool. */
export function dbOnPool(pool: PostgresPool, connectionString: string): Db {
	return new Kysely<Database>({ dialect: new PoolDialect(pool, connectionString) });
}
