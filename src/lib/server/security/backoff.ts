/**
 * Growing delays after failures (OWASP's "progressive delay" instead of a lock-out), as pure
 * arithmetic: the counters themselves live in PostgreSQL (sign-in-throttle.ts).
 *
 * A key that has failed `freeFailures` times waits `baseSeconds` after its last failure before
 * it may try again, and each further failure doubles the wait, up to `maxSeconds`. Failures are
 * forgotten `forgetSeconds` after the last one.
 */
export type Backoff = {
	freeFailures: number;
	baseSeconds: number;
	maxSeconds: number;
	forgetSeconds: number;
};

const DAY = 86_400;

/** One client guessing one account's password: 5 free, then 1 s, 2 s, 4 s ... 15 min. */
export const PAIR_BACKOFF: Backoff = {
	freeFailures: 5,
	baseSeconds: 1,
	maxSeconds: 15 * 60,
	forgetSeconds: DAY
};

/**
 * One client over every account (password spraying). Generous, since a one-stop shop's staff
 * share one address; only failures count, so a whole office signing in costs nothing.
 */
export const CLIENT_BACKOFF: Backoff = {
	freeFailures: 30,
	baseSeconds: 1,
	maxSeconds: 15 * 60,
	forgetSeconds: DAY
};

/**
 * One account from every client (a guesser with many addresses). It delays only the clients
 * that have themselves failed for the account, so it never keeps the owner out.
 */
export const ACCOUNT_BACKOFF: Backoff = {
	freeFailures: 10,
	baseSeconds: 1,
	maxSeconds: 15 * 60,
	forgetSeconds: DAY
};

export type FailureCount = { failures: number; lastFailureAt: Date };

/** The failures that still count at `now` (none once they are forgotten). */
export function currentFailures(
	count: FailureCount | undefined,
	backoff: Backoff,
	now: Date
): number {
	if (!count) return 0;
	const age = now.getTime() - count.lastFailureAt.getTime();
	return age < backoff.forgetSeconds * 1000 ? count.failures : 0;
}

/** The delay that follows the last of `failures` failures, in seconds. */
export function delaySeconds(failures: number, backoff: Backoff): number {
	if (failures < backoff.freeFailures) return 0;
	const doublings = failures - backoff.freeFailures;
	// 2^31 s is far past any cap; stop doubling before the number grows without need
	return Math.min(backoff.baseSeconds * 2 ** Math.min(doublings, 31), backoff.maxSeconds);
}

/** Whole seconds left to wait at `now` (0: may try now). */
export function waitSeconds(count: FailureCount | undefined, backoff: Backoff, now: Date): number {
	const failures = currentFailures(count, backoff, now);
	const delay = delaySeconds(failures, backoff);
	if (!count || delay === 0) return 0;
	const left = count.lastFailureAt.getTime() + delay * 1000 - now.getTime();
	return left > 0 ? Math.ceil(left / 1000) : 0;
}

export type SignInCounts = {
	/** this client for this account */
	pair?: FailureCount;
	/** this client over all accounts */
	client?: FailureCount;
	/** this account from all clients */
	account?: FailureCount;
};

/**
 * Seconds a sign-in attempt must wait (0: it may be checked now). The account-wide delay applies
 * only to a client that has failed for the account itself, so failures elsewhere (an attacker's)
 * never stop the owner on a clean client.
 */
export function signInWait(counts: SignInCounts, now: Date): number {
	const failedHere = currentFailures(counts.pair, PAIR_BACKOFF, now) > 0;
	return Math.max(
		waitSeconds(counts.pair, PAIR_BACKOFF, now),
		waitSeconds(counts.client, CLIENT_BACKOFF, now),
		failedHere ? waitSeconds(counts.account, ACCOUNT_BACKOFF, now) : 0
	);
}
