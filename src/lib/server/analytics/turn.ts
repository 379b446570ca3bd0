import { sql } from 'kysely';
import { isEmbedded, type Db } from '../db';

/**
 * One aggregator at a time over every app server: adding a batch of queued responses and
 * rebuilding a wave from its raw answers both run only while their process holds the
 * aggregator's turn, so two servers never work out the sums of the same responses.
 *
 * Why a lock held for the whole batch rather than `FOR UPDATE SKIP LOCKED` on the queue rows: the
 * rows would stay locked only as long as the transaction that locked them, so the sums would have
 * to be worked out inside it; on the embedded database (one connection) that would hold up every
 * request for the whole batch, and on PostgreSQL two servers splitting a burst write the same hot
 * cells twice as often for no gain. Here the turn is held apart from the work, which keeps its
 * short transaction (take the queue rows, write the cells) on both backends:
 * - PostgreSQL: a transaction of its own holds `pg_advisory_xact_lock` (transaction-scoped, so it
 *   works through pgbouncer in transaction mode and ends with the connection if the process dies)
 *   while the work runs on other connections of the pool. A server that finds the turn taken skips
 *   its tick; a recompute waits for it, and its REPEATABLE READ snapshot starts after the lock is
 *   held, so no batch commits under it.
 * - Within a process the turn is also a promise chain per database handle, so a process holds or
 *   awaits it on one connection at most: with the one the work uses, a pool of two never runs dry
 *   however many recomputes wait. PGlite has one process, so the chain is all it needs.
 */
const TURN = sql`7315, 0`; // (snapshot.ts takes (7316, wave) for a wave's snapshot)

const turns = new WeakMap<Db, Promise<unknown>>();

/**
 * Runs `work` in the aggregator's turn. `wait: false` gives up at once when another holds it
 * (undefined); `wait: true` queues for it.
 */
export async function inAggregatorTurn<T>(
	db: Db,
	wait: boolean,
	work: () => Promise<T>
): Promise<T | undefined> {
	const before = turns.get(db);
	if (before && !wait) return undefined;
	const mine = (before ?? Promise.resolve())
		.catch(() => {})
		.then(() => (isEmbedded(db) ? work() : whileLocked(db, wait, work)));
	const settled = mine.catch(() => {});
	turns.set(db, settled);
	try {
		return await mine;
	} finally {
		if (turns.get(db) === settled) turns.delete(db);
	}
}

/**
 * `work` while a transaction holds the advisory lock (or undefined if not waiting): a transaction
 * of its own, or the caller's when `db` is one (the demo seed aggregates inside its transaction).
 */
function whileLocked<T>(db: Db, wait: boolean, work: () => Promise<T>): Promise<T | undefined> {
	const locked = async (holder: Db) => {
		if (wait) await sql`select pg_advisory_xact_lock(${TURN})`.execute(holder);
		else {
			const { rows } = await sql<{ got: boolean }>`
				select pg_try_advisory_xact_lock(${TURN}) as got`.execute(holder);
			if (!rows[0]!.got) return undefined;
		}
		return work();
	};
	return db.isTransaction ? locked(db) : db.transaction().execute(locked);
}
