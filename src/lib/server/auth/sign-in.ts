import type { Db } from '../db';
import {
	accountKey,
	clearLimit,
	clientKey,
	hit,
	refundHit,
	type Limit
} from '../security/rate-limit';
import { verifyAgainstNothing, verifyPassword } from './password';
import { findUserForSignIn } from './users';

export const ACCOUNT_LIMIT: Limit = { max: 10, windowSeconds: 15 * 60 };
export const CLIENT_LIMIT: Limit = { max: 30, windowSeconds: 15 * 60 };

export type SignInResult =
	| { ok: true; userId: string }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

/**
 * Checks a staff member's credentials. Every answer but success is the same "invalid", whether the
 * e-mail is unknown, the password wrong or the account disabled, and takes the same time.
 */
export async function signIn(
	db: Db,
	input: { email: string; password: string; clientAddress: string; secret: string | undefined }
): Promise<SignInResult> {
	const account = `signin:account:${accountKey(input.email)}`;
	const client = `signin:client:${clientKey(input.clientAddress, input.secret)}`;
	const [byAccount, byClient] = await Promise.all([
		hit(db, account, ACCOUNT_LIMIT),
		hit(db, client, CLIENT_LIMIT)
	]);
	if (byAccount.limited || byClient.limited) {
		return {
			ok: false,
			reason: 'rate_limited',
			retryAfterSeconds: Math.max(
				byAccount.limited ? byAccount.retryAfterSeconds : 0,
				byClient.limited ? byClient.retryAfterSeconds : 0
			)
		};
	}
	const user = await findUserForSignIn(db, input.email);
	const valid = user
		? await verifyPassword(user.password_hash, input.password)
		: await verifyAgainstNothing(input.password);
	if (!user || !valid || user.disabled_at) return { ok: false, reason: 'invalid' };
	// Only failures count: a one-stop shop's staff share one address and may all sign in at 8:00.
	await Promise.all([clearLimit(db, account), refundHit(db, client)]);
	return { ok: true, userId: user.id };
}
