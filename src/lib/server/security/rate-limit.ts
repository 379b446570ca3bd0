import { createHmac, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { PREPARED, type Db } from '../db';

export type Limit = { max: number; windowSeconds: number };
export type LimitResult = { limited: boolean; retryAfterSeconds: number };

/**
 * Counts one hit against `key` in a fixed window kept in PostgreSQL, so every app server shares
 * the same counters. One atomic upsert: a new window restarts the count.
 */
export async function hit(
	db: Db,
	key: string,
	limit: Limit,
	now = new Date()
): Promise<LimitResult> {
	const row = await db
		.insertInto('rate_limit')
		.values({ key, window_start: now, hits: 1 })
		.onConflict((oc) =>
			oc.column('key').doUpdateSet({
				hits: sql`case when rate_limit.window_start <= ${now}::timestamptz - make_interval(secs => ${limit.windowSeconds}) then 1 else rate_limit.hits + 1 end`,
				window_start: sql`case when rate_limit.window_start <= ${now}::timestamptz - make_interval(secs => ${limit.windowSeconds}) then ${now}::timestamptz else rate_limit.window_start end`
			})
		)
		.returning(['hits', 'window_start'])
		.modifyEnd(sql.raw(PREPARED))
		.executeTakeFirstOrThrow();
	const windowEnds = row.window_start.getTime() + limit.windowSeconds * 1000;
	return {
		limited: row.hits > limit.max,
		retryAfterSeconds: Math.max(1, Math.ceil((windowEnds - now.getTime()) / 1000))
	};
}

/** Drops windows that ended long ago; run from time to time, never needed for correctness. */
export async function pruneLimits(
	db: Db,
	olderThanSeconds = 86_400,
	now = new Date()
): Promise<void> {
	await db
		.deleteFrom('rate_limit')
		.where('window_start', '<', new Date(now.getTime() - olderThanSeconds * 1000))
		.execute();
}

const KEY_NAME = 'rate_limit_key';
let sharedSecret: string | undefined;
let processSecret: string | undefined;

/**
 * The key every process on this database uses when APP_SECRET is not set: made once (32 random
 * bytes) by whichever process starts first, kept in server_secret, read by the others. An insert
 * that does nothing on conflict, then a read, so two processes starting together agree.
 */
export async function loadSharedSecret(db: Db): Promise<string> {
	await db
		.insertInto('server_secret')
		.values({ name: KEY_NAME, value: randomBytes(32).toString('base64url') })
		.onConflict((oc) => oc.column('name').doNothing())
		.execute();
	const row = await db
		.selectFrom('server_secret')
		.select('value')
		.where('name', '=', KEY_NAME)
		.executeTakeFirstOrThrow();
	return row.value;
}

/** Called at start with loadSharedSecret's answer; APP_SECRET, when set, still wins. */
export function useSharedSecret(secret: string) {
	sharedSecret = secret;
}

/**
 * APP_SECRET, else the key shared through the database, else (before start-up has loaded it: a
 * db:* command, a test) a random key of this process.
 */
export function keySecret(secret: string | undefined): string {
	if (secret) return secret;
	if (sharedSecret) return sharedSecret;
	processSecret ??= randomBytes(32).toString('hex');
	return processSecret;
}

/**
 * A key for a client that identifies no one: an HMAC of its address under the app secret and the
 * current day, so the same address maps to a new key every day and the raw address is never
 * stored.
 */
export function clientKey(address: string, secret: string | undefined, now = new Date()): string {
	const day = now.toISOString().slice(0, 10);
	return createHmac('sha256', keySecret(secret)).update(`${day}|${address}`).digest('base64url');
}

/**
 * A key for an account name that does not keep the e-mail in clear: an HMAC under the app
 * secret, so that a copy of the database cannot be checked against a list of staff e-mails
 * (when APP_SECRET is set: the key made at first start is kept in that same database).
 */
export function accountKey(email: string, secret: string | undefined): string {
	return createHmac('sha256', keySecret(secret))
		.update(`account|${email.trim().toLowerCase()}`)
		.digest('base64url');
}
