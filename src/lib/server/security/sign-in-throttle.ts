import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { inTransaction, type Db } from '../db';
import {
	ACCOUNT_BACKOFF,
	CLIENT_BACKOFF,
	currentFailures,
	PAIR_BACKOFF,
	signInWait,
	type Backoff,
	type FailureCount
} from './backoff';
import { accountKey, clientKey } from './rate-limit';

/** The three counters one sign-in attempt is weighed against (hashed; see backoff.ts). */
export type SignInKeys = { pair: string; client: string; account: string };

export function signInKeys(
	email: string,
	address: string,
	secret: string | undefined,
	now: Date
): SignInKeys {
	const client = clientKey(address, secret, now);
	const account = accountKey(email, secret);
	const pair = createHash('sha256').update(`${client}|${account}`).digest('base64url');
	return { pair: `pair:${pair}`, client: `client:${client}`, account: `account:${account}` };
}

/** What an admitted attempt needs to take its provisional failure back if it succeeds. */
export type Ticket = {
	keys: SignInKeys;
	now: Date;
	/** this client's failures for the account, this attempt's provisional one included */
	pairFailures: number;
	previous: { client: Date; account: Date };
};

export type Admission =
	{ admitted: true; ticket: Ticket } | { admitted: false; retryAfterSeconds: number };

const BACKOFF: Record<keyof SignInKeys, Backoff> = {
	pair: PAIR_BACKOFF,
	client: CLIENT_BACKOFF,
	account: ACCOUNT_BACKOFF
};

/**
 * Decides whether an attempt may have its password checked now. An admitted attempt is counted
 * as a failure at once, under the rows' locks, so a burst of simultaneous guesses cannot all
 * slip through before the first failure is written; `signInSucceeded` takes it back. A refused
 * attempt counts nothing: it waits, and tapping the button again does not lengthen the wait.
 */
export async function admitSignIn(db: Db, keys: SignInKeys, now: Date): Promise<Admission> {
	return inTransaction(db, async (trx) => {
		// always in the same order, so two attempts never wait for each other's rows in a cycle
		const sorted = [keys.pair, keys.client, keys.account].sort();
		await trx
			.insertInto('sign_in_failure')
			.values(sorted.map((key) => ({ key, failures: 0, last_failure_at: now })))
			.onConflict((oc) => oc.column('key').doNothing())
			.execute();
		const rows = await trx
			.selectFrom('sign_in_failure')
			.select(['key', 'failures', 'last_failure_at'])
			.where('key', 'in', sorted)
			.orderBy('key')
			.forUpdate()
			.execute();
		const count = (key: string): FailureCount => {
			const row = rows.find((r) => r.key === key);
			return row
				? { failures: row.failures, lastFailureAt: row.last_failure_at }
				: { failures: 0, lastFailureAt: now };
		};
		const counts = {
			pair: count(keys.pair),
			client: count(keys.client),
			account: count(keys.account)
		};
		const wait = signInWait(counts, now);
		if (wait > 0) return { admitted: false, retryAfterSeconds: wait };
		const next = (Object.keys(keys) as (keyof SignInKeys)[]).map(
			(name) => sql`(${keys[name]}, ${currentFailures(counts[name], BACKOFF[name], now) + 1}::int)`
		);
		await sql`update sign_in_failure as f
			set failures = v.failures, last_failure_at = ${now}::timestamptz
			from (values ${sql.join(next)}) as v(key, failures)
			where f.key = v.key`.execute(trx);
		return {
			admitted: true,
			ticket: {
				keys,
				now,
				pairFailures: currentFailures(counts.pair, PAIR_BACKOFF, now) + 1,
				previous: {
					client: counts.client.lastFailureAt,
					account: counts.account.lastFailureAt
				}
			}
		};
	});
}

/**
 * The attempt was right, so this client's failures for the account were the owner's typos: they
 * are forgotten, and taken off the client's and the account's counts with the provisional one.
 * Every other failure stays: a success for one account (the attacker's own, say) or from one
 * client does not wipe what a guesser did to other accounts or from other clients.
 */
export async function signInSucceeded(db: Db, ticket: Ticket): Promise<void> {
	const { keys, now, previous } = ticket;
	await inTransaction(db, async (trx) => {
		await trx.deleteFrom('sign_in_failure').where('key', '=', keys.pair).execute();
		await sql`update sign_in_failure as f
			set failures = greatest(f.failures - ${ticket.pairFailures}::int, 0),
				last_failure_at = case when f.last_failure_at = ${now}::timestamptz
					then v.previous else f.last_failure_at end
			from (values (${keys.client}, ${previous.client}::timestamptz),
				(${keys.account}, ${previous.account}::timestamptz)) as v(key, previous)
			where f.key = v.key`.execute(trx);
	});
}

/** Drops counters whose failures are forgotten anyway; run from time to time. */
export async function pruneSignInFailures(db: Db, now = new Date()): Promise<void> {
	const forget = Math.max(
		PAIR_BACKOFF.forgetSeconds,
		CLIENT_BACKOFF.forgetSeconds,
		ACCOUNT_BACKOFF.forgetSeconds
	);
	await db
		.deleteFrom('sign_in_failure')
		.where('last_failure_at', '<', new Date(now.getTime() - forget * 1000))
		.execute();
}
