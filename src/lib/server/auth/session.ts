import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Cookies } from '@sveltejs/kit';
import { audit } from '../audit';
import type { Db } from '../db';
import type { Grant } from '$lib/auth/access';

/**
 * Sessions as Lucia documents them since 2025: the token is `<id>.<secret>`; the database keeps
 * the id and SHA-256(secret) only, and the secret is compared in constant time. A session ends
 * after SESSION_IDLE_DAYS without use or SESSION_MAX_DAYS after sign-in, whichever comes first.
 */
export const SESSION_COOKIE = 'cv_session';
const LAST_SEEN_RESOLUTION_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export type SessionPolicy = { idleDays: number; maxDays: number };

export type SessionUser = {
	id: string;
	email: string;
	displayName: string;
	grants: Grant[];
};

export type Session = { id: string; userId: string; createdAt: Date; lastVerifiedAt: Date };

function randomToken(bytes: number): string {
	return randomBytes(bytes).toString('base64url');
}

function sha256(text: string): Uint8Array {
	return createHash('sha256').update(text).digest();
}

export async function createSession(
	db: Db,
	userId: string
): Promise<{ token: string; session: Session }> {
	const id = randomToken(15);
	const secret = randomToken(24); // 192 bits
	const now = new Date();
	await db
		.insertInto('auth_session')
		.values({
			id,
			user_id: userId,
			secret_hash: sha256(secret),
			created_at: now,
			last_verified_at: now
		})
		.execute();
	return { token: `${id}.${secret}`, session: { id, userId, createdAt: now, lastVerifiedAt: now } };
}

export function sessionExpiry(
	session: Pick<Session, 'createdAt' | 'lastVerifiedAt'>,
	policy: SessionPolicy
): Date {
	return new Date(
		Math.min(
			session.lastVerifiedAt.getTime() + policy.idleDays * DAY_MS,
			session.createdAt.getTime() + policy.maxDays * DAY_MS
		)
	);
}

export async function loadGrants(db: Db, userId: string): Promise<Grant[]> {
	const rows = await db
		.selectFrom('user_role')
		.select(['role', 'agency_id', 'unit_id'])
		.where('user_id', '=', userId)
		.orderBy('id')
		.execute();
	return rows.map((r) => ({ role: r.role, agencyId: r.agency_id, unitId: r.unit_id }));
}

/**
 * Checks a token from a cookie. Returns null for anything that is not a live session of an
 * enabled account; a session found expired is deleted.
 */
export async function validateSessionToken(
	db: Db,
	token: string,
	policy: SessionPolicy,
	now = new Date()
): Promise<{ session: Session; user: SessionUser; refreshed: boolean } | null> {
	const [id, secret, ...rest] = token.split('.');
	if (!id || !secret || rest.length > 0 || id.length > 64 || secret.length > 64) return null;

	const row = await db
		.selectFrom('auth_session')
		.innerJoin('app_user', 'app_user.id', 'auth_session.user_id')
		.select([
			'auth_session.id',
			'auth_session.user_id',
			'auth_session.secret_hash',
			'auth_session.created_at',
			'auth_session.last_verified_at',
			'app_user.email',
			'app_user.display_name',
			'app_user.disabled_at'
		])
		.where('auth_session.id', '=', id)
		.executeTakeFirst();
	if (!row) return null;

	const stored = Buffer.from(row.secret_hash);
	const presented = Buffer.from(sha256(secret));
	if (stored.length !== presented.length || !timingSafeEqual(stored, presented)) return null;

	const session: Session = {
		id: row.id,
		userId: row.user_id,
		createdAt: row.created_at,
		lastVerifiedAt: row.last_verified_at
	};
	if (row.disabled_at || sessionExpiry(session, policy) <= now) {
		await invalidateSession(db, id);
		return null;
	}

	let refreshed = false;
	if (now.getTime() - session.lastVerifiedAt.getTime() >= LAST_SEEN_RESOLUTION_MS) {
		session.lastVerifiedAt = now;
		refreshed = true;
		await db
			.updateTable('auth_session')
			.set({ last_verified_at: now })
			.where('id', '=', id)
			.execute();
	}
	return {
		session,
		refreshed,
		user: {
			id: row.user_id,
			email: row.email,
			displayName: row.display_name,
			grants: await loadGrants(db, row.user_id)
		}
	};
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
	await db.deleteFrom('auth_session').where('id', '=', sessionId).execute();
}

export async function invalidateUserSessions(db: Db, userId: string): Promise<void> {
	await db.deleteFrom('auth_session').where('user_id', '=', userId).execute();
}

/** Ends every session of a person at their own request (a lost laptop), on the record. */
export async function signOutEverywhere(db: Db, userId: string): Promise<void> {
	await invalidateUserSessions(db, userId);
	await audit(db, {
		actorId: userId,
		action: 'auth.sign_out_everywhere',
		entityType: 'user',
		entityId: userId
	});
}

export function setSessionCookie(cookies: Cookies, token: string, expires: Date, secure: boolean) {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure,
		expires
	});
}

export function deleteSessionCookie(cookies: Cookies, secure: boolean) {
	cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}
