import type { Kysely, PostgresPool, PostgresPoolClient } from 'kysely';
import { isDatabaseUnavailable } from './unavailable';
import { log } from '../log';
import { dbOnPool, openPool } from './pool';
import type { Database } from './schema';

/**
 * The read replica (DATABASE_READ_URL): a streaming standby that serves the heavy reads of
 * analytics (pages, exports, trends, the plans' score dashboards) so they do not compete with
 * submissions on the primary. What reads it and when is decided in read.ts; here is how it
 * degrades. A replica that refuses or does not answer a connection within CONNECT_TIMEOUT_MS,
 * or drops one, sends reads to the primary at once (the failed statement is run again there),
 * and is tried again RETRY_AFTER_MS later; each change of state is logged once.
 */
export const CONNECT_TIMEOUT_MS = 2000;
export const RETRY_AFTER_MS = 10_000;
/** how old a measured lag may be before it is measured again */
export const LAG_CHECK_MS = 3000;

/** Whether reads may try the replica, with one log line per change of state. */
export class ReplicaCircuit {
	#down = false;
	#retryAt = 0;
	constructor(
		private readonly retryAfterMs = RETRY_AFTER_MS,
		private readonly now: () => number = Date.now
	) {}

	/** the replica is thought to answer, or it is time to try it again */
	get usable(): boolean {
		return !this.#down || this.now() >= this.#retryAt;
	}

	get down(): boolean {
		return this.#down;
	}

	failed(error: unknown): void {
		this.#retryAt = this.now() + this.retryAfterMs;
		if (this.#down) return;
		this.#down = true;
		log.warn('database: read replica unavailable, reading from the primary', {
			reason: error instanceof Error ? error.message : String(error),
			retryInSeconds: Math.round(this.retryAfterMs / 1000)
		});
	}

	succeeded(): void {
		if (!this.#down) return;
		this.#down = false;
		log.info('database: read replica answers again, reading from it');
	}
}

/** Statements served by each side since start: what the tests and /readyz look at. */
export type Served = { replica: number; primary: number };

/**
 * A failure on the replica that the primary would not have: it is unavailable, or a long read
 * was cancelled because replay needed the rows it was reading (SQLSTATE 40001 on a standby).
 */
function retryOnPrimary(e: unknown): boolean {
	return isDatabaseUnavailable(e) || (e as { code?: unknown })?.code === '40001';
}

/**
 * A pool that hands out replica connections while the circuit allows and primary connections
 * otherwise. A statement that fails on the replica for want of it is run again on a primary
 * connection (reads only: the read pool runs no transactions, so one statement stands alone).
 */
export function fallbackPool(
	replica: PostgresPool,
	primary: PostgresPool,
	circuit: ReplicaCircuit,
	served: Served
): PostgresPool {
	const onPrimary = async (): Promise<PostgresPoolClient> => {
		const client = await primary.connect();
		return {
			query: ((text: string, values: unknown[]) => {
				served.primary++;
				return client.query(text, values);
			}) as unknown as PostgresPoolClient['query'],
			release: () => client.release()
		};
	};
	return {
		connect: async () => {
			if (!circuit.usable) return onPrimary();
			let client: PostgresPoolClient;
			try {
				client = await replica.connect();
			} catch (e) {
				if (!isDatabaseUnavailable(e)) throw e;
				circuit.failed(e);
				return onPrimary();
			}
			const query = async (text: string, values: unknown[]) => {
				try {
					const result = await client.query(text, values);
					served.replica++;
					circuit.succeeded();
					return result;
				} catch (e) {
					if (!retryOnPrimary(e)) throw e;
					if (isDatabaseUnavailable(e)) circuit.failed(e);
					const other = await onPrimary();
					try {
						return await other.query(text, values);
					} finally {
						other.release();
					}
				}
			};
			return {
				query: query as unknown as PostgresPoolClient['query'],
				release: () => client.release()
			};
		},
		// the primary's pool belongs to the primary's Kysely instance, which ends it
		end: () => replica.end()
	};
}

/**
 * Seconds the replica's data is behind the primary's: 0 when it has replayed all it received
 * (an idle primary sends nothing, and that is not lag), else the age of the last transaction it
 * replayed. 0 too for a server that is not a standby at all.
 */
export const LAG_SQL = `select case
	when not pg_is_in_recovery() or pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0
	else coalesce(extract(epoch from now() - pg_last_xact_replay_timestamp()), 0)
end::float8 as lag`;

export type Replica = {
	/** reads through the replica, or the primary when the replica is unavailable */
	db: Kysely<Database>;
	circuit: ReplicaCircuit;
	served: Served;
	/** the replica's lag in seconds, measured at most every LAG_CHECK_MS; null when unknown */
	lag: () => Promise<number | null>;
	close: () => Promise<void>;
};

export type ReplicaOptions = {
	readUrl: string;
	poolMax: number;
	prepared?: boolean;
	connectTimeoutMs?: number;
	retryAfterMs?: number;
};

export function openReplica(primary: PostgresPool, options: ReplicaOptions): Replica {
	const { pool, connectionString } = openPool(options.readUrl, {
		max: options.poolMax,
		prepared: options.prepared,
		connectTimeoutMs: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS
	});
	const circuit = new ReplicaCircuit(options.retryAfterMs);
	const served: Served = { replica: 0, primary: 0 };
	const db = dbOnPool(fallbackPool(pool, primary, circuit, served), connectionString);

	let measured: { at: number; lag: number | null } | undefined;
	let measuring: Promise<number | null> | undefined;
	const measure = async (): Promise<number | null> => {
		if (!circuit.usable) return null;
		let client: PostgresPoolClient | undefined;
		try {
			client = await pool.connect();
			const { rows } = (await client.query(LAG_SQL, [])) as unknown as {
				rows: { lag: number }[];
			};
			circuit.succeeded();
			return Math.max(0, rows[0]?.lag ?? 0);
		} catch (e) {
			if (isDatabaseUnavailable(e)) circuit.failed(e);
			else log.warn('database: could not measure the read replica lag', { reason: String(e) });
			return null;
		} finally {
			client?.release();
		}
	};
	const lag = async () => {
		if (!circuit.usable) return null;
		if (!circuit.down && measured && Date.now() - measured.at < LAG_CHECK_MS) return measured.lag;
		measuring ??= measure().then((value) => {
			measured = { at: Date.now(), lag: value };
			measuring = undefined;
			return value;
		});
		return measuring;
	};
	return { db, circuit, served, lag, close: () => db.destroy() };
}
