import type { Cookies } from '@sveltejs/kit';
import { getDb, getReplica, type Db } from './index';
import { LAG_CHECK_MS } from './replica';

/**
 * Which database a read of analytics goes to. The replica (DATABASE_READ_URL) serves reads that
 * may lag: analytics pages, their CSV and microdata exports, trends and the plans' score
 * dashboards, all of which show published snapshots that the aggregator writes in the
 * background anyway. Never sign-in, sessions, anything that writes (an export's audit line goes
 * to the primary), nor a page that must show what its reader just did.
 *
 * The rule for the last: every change a signed-in user makes (any form action or other
 * non-GET request) leaves a cookie with its time, and that user's reads stay on the primary
 * until the replica's lag, as last measured, is shorter than the time since, with a margin for
 * the lag's own age. So an analyst who refreshes a snapshot, a fieldwork manager who loads new
 * weights, or whoever closes a wave sees the result on the next page, on any node.
 */
export const WROTE_COOKIE = 'cv_wrote';
/** the cookie outlives any lag worth waiting for; past it, the lag notice says how stale */
export const WROTE_COOKIE_SECONDS = 300;
/** lag (seconds) from which the analytics pages say their figures may be behind */
export const LAG_NOTICE_SECONDS = 5;
const MARGIN_MS = LAG_CHECK_MS + 2000;

/** Whether a reader who changed something at `wroteAt` (ms) must still read the primary. */
export function mustReadPrimary(wroteAt: number | undefined, now: number, lag: number | null) {
	if (wroteAt === undefined || !Number.isFinite(wroteAt)) return false;
	return now - wroteAt < (lag ?? 0) * 1000 + MARGIN_MS;
}

export type Reader = {
	db: Db;
	/** seconds the figures may be behind the latest data, when worth telling (else null) */
	lagSeconds: number | null;
};

/** The database for this request's analytics reads, and the lag to show with them. */
export async function analyticsReader(cookies: Pick<Cookies, 'get'>): Promise<Reader> {
	const replica = await getReplica();
	if (!replica) return { db: await getDb(), lagSeconds: null };
	const lag = await replica.lag();
	const wrote = cookies.get(WROTE_COOKIE);
	if (mustReadPrimary(wrote ? Number(wrote) : undefined, Date.now(), lag))
		return { db: await getDb(), lagSeconds: null };
	return {
		db: replica.db,
		lagSeconds: lag !== null && lag >= LAG_NOTICE_SECONDS && !replica.circuit.down ? lag : null
	};
}

/** Remembers that this user just changed something (see above); only with a replica. */
export async function rememberWrite(cookies: Cookies, secure: boolean): Promise<void> {
	if (!(await getReplica())) return;
	cookies.set(WROTE_COOKIE, String(Date.now()), {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure,
		maxAge: WROTE_COOKIE_SECONDS
	});
}

/** A line for /readyz when the replica does not answer (the server is ready all the same). */
export async function replicaNote(): Promise<string | undefined> {
	const replica = await getReplica();
	if (!replica) return undefined;
	void replica.lag(); // keeps the state current without making the probe wait for it
	return replica.circuit.down
		? 'read replica unavailable, analytics read from the primary'
		: undefined;
}
