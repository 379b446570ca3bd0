import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db';

/**
 * Every app server keeps what citizens read most in memory for a few seconds (page-cache.ts, the
 * wave cache in surveys/waves.ts). A change that would make such a copy wrong is announced to
 * every server through PostgreSQL's NOTIFY on CHANNEL, sent inside the transaction that makes
 * the change: PostgreSQL delivers it when, and only if, that transaction commits (identical
 * ones only once), and it passes through pgbouncer in transaction mode like any statement.
 * listener.ts receives them; the server that made the change has forgotten its copies already.
 *
 * By hand, after editing data in psql: `select pg_notify('civic_voice', 'all')`.
 */
export const CHANNEL = 'civic_voice';

export const TOPICS = ['waves', 'questions', 'disclosures'] as const;
export type Topic = (typeof TOPICS)[number];
export type Change = { topic: Topic; id?: number };
/** 'all': anything may have changed (a payload this version does not know, events missed) */
export type Forgotten = Change | 'all';

const changeSchema = z.object({ topic: z.enum(TOPICS), id: z.number().int().optional() });

const forgetters: ((what: Forgotten) => void)[] = [];

/** A cache registers how it drops what a change makes stale. */
export function onChange(forget: (what: Forgotten) => void): void {
	forgetters.push(forget);
}

/** Drops this process's copies that `what` makes stale. */
export function forget(what: Forgotten): void {
	for (const f of forgetters) f(what);
}

/**
 * Tells every server (this one at once, the others when the transaction `db` is in commits).
 * This process forgets before the commit too: the echo of its own notification, a few
 * milliseconds after the commit, drops a copy a request made in between.
 */
export async function announce(db: Db, change: Change): Promise<void> {
	forget(change);
	await sql`select pg_notify(${CHANNEL}, ${JSON.stringify(change)})`.execute(db);
}

/** What a notification's payload says changed; anything unknown counts as everything. */
export function parseChange(payload: string | undefined): Forgotten {
	try {
		const parsed = changeSchema.safeParse(JSON.parse(payload ?? ''));
		return parsed.success ? parsed.data : 'all';
	} catch {
		return 'all';
	}
}

/**
 * Whether this process hears other servers' changes: 'alone' when none can make any (the
 * embedded database, the command-line tools), 'listening' while listener.ts has a connection
 * that is known to receive notifications, 'deaf' otherwise (starting, reconnecting).
 */
export type Hearing = 'alone' | 'listening' | 'deaf';

/** How old a copy may be served while deaf: the promise that no page is staler than a second. */
export const DEAF_MAX_AGE_MS = 1000;

let hearing: Hearing = 'alone';

export function setHearing(now: Hearing): void {
	hearing = now;
}

export function currentHearing(): Hearing {
	return hearing;
}

/** The age past which a cache must read again, for a cache that keeps copies `maxAgeMs`. */
export function maxAgeFor(maxAgeMs: number, now: Hearing = hearing): number {
	return now === 'deaf' ? Math.min(maxAgeMs, DEAF_MAX_AGE_MS) : maxAgeMs;
}
