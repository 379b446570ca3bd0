import { m } from '$lib/paraglide/messages';
import type { Db } from '../db';
import { refusals } from '../forms/refusal';
import { admitSignIn, signInKeys, signInSucceeded } from '../security/sign-in-throttle';
import { verifyAgainstNothing, verifyPassword } from './password';
import { findUserForSignIn } from './users';

export type SignInResult =
	| { ok: true; userId: string }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

/**
 * Checks a staff member's credentials. Every answer but success is the same "invalid", whether the
 * e-mail is unknown, the password wrong or the account disabled, and takes the same time.
 *
 * No lock-out: failures bring growing delays (security/backoff.ts) to the client that made them,
 * for the account it tried and, past a larger number, for every account; failures for an account
 * from many clients delay only clients that failed for it. So a right password from a client
 * with no recent failures for the account is never refused, whatever an attacker did elsewhere.
 * During a delay the password is not checked at all, so waiting out the delay is the only way on.
 */
export async function signIn(
	db: Db,
	input: {
		email: string;
		password: string;
		clientAddress: string;
		secret: string | undefined;
		now?: Date;
	}
): Promise<SignInResult> {
	const now = input.now ?? new Date();
	const keys = signInKeys(input.email, input.clientAddress, input.secret, now);
	const admission = await admitSignIn(db, keys, now);
	if (!admission.admitted) {
		return { ok: false, reason: 'rate_limited', retryAfterSeconds: admission.retryAfterSeconds };
	}
	const user = await findUserForSignIn(db, input.email);
	const valid = user
		? await verifyPassword(user.password_hash, input.password)
		: await verifyAgainstNothing(input.password);
	// a failure was counted on admission; only failures count, so a one-stop shop's staff, who
	// share one address, may all sign in at 8:00
	if (!user || !valid || user.disabled_at) return { ok: false, reason: 'invalid' };
	await signInSucceeded(db, admission.ticket);
	return { ok: true, userId: user.id };
}

/** A refused sign-in never says which of the two was wrong. */
export const refuseSignIn = refusals({ failed: [400, m.sign_in_failed] });
