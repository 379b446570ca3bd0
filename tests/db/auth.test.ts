import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_LIMIT, CLIENT_LIMIT, signIn } from '$lib/server/auth/sign-in';
import {
	createSession,
	invalidateUserSessions,
	validateSessionToken
} from '$lib/server/auth/session';
import { createUser, grantRole, setUserDisabled } from '$lib/server/auth/users';
import { backends, migratedDb, type TestDb } from './harness';

const policy = { idleDays: 7, maxDays: 30 };
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

describe.each(backends)('sign-in and sessions on %s', (backend) => {
	let t: TestDb;
	let userId: string;
	const password = 'correct horse battery';
	const attempt = (email: string, pw: string, clientAddress = '203.0.113.7') =>
		signIn(t.db, { email, password: pw, clientAddress, secret: 'x'.repeat(32) });

	beforeAll(async () => {
		t = await migratedDb(backend);
		userId = await createUser(
			t.db,
			{ email: 'Official@Example.vn ', displayName: 'Cán bộ', password },
			null
		);
		await grantRole(t.db, userId, { role: 'moderator' }, userId);
	});
	afterAll(async () => t?.close());

	it('accepts the right password, with the e-mail in any case', async () => {
		expect(await attempt('OFFICIAL@example.vn', password)).toEqual({ ok: true, userId });
	});

	it('gives one answer for a wrong password, an unknown e-mail and a disabled account', async () => {
		expect(await attempt('official@example.vn', 'wrong password')).toEqual({
			ok: false,
			reason: 'invalid'
		});
		expect(await attempt('nobody@example.vn', password)).toEqual({ ok: false, reason: 'invalid' });
		const other = await createUser(
			t.db,
			{ email: 'off@example.vn', displayName: 'X', password },
			null
		);
		await setUserDisabled(t.db, other, true, userId);
		expect(await attempt('off@example.vn', password)).toEqual({ ok: false, reason: 'invalid' });
	});

	it('stops an account after too many attempts, even with the right password, without storing the e-mail', async () => {
		const email = 'target@example.vn';
		await createUser(t.db, { email, displayName: 'T', password }, null);
		for (let i = 0; i < ACCOUNT_LIMIT.max; i++) {
			// each from a different client, so only the per-account limit can stop them
			expect((await attempt(email, 'guess', `198.51.100.${i}`)).ok).toBe(false);
		}
		const blocked = await attempt(email, password, '198.51.100.200');
		expect(blocked).toMatchObject({ ok: false, reason: 'rate_limited' });
		const keys = await t.db.selectFrom('rate_limit').select('key').execute();
		expect(keys.some((k) => k.key.includes('target') || k.key.includes('198.51.100'))).toBe(false);
	});

	it('stops a client that tries many accounts', async () => {
		for (let i = 0; i < CLIENT_LIMIT.max; i++) {
			await attempt(`spray${i}@example.vn`, 'guess', '192.0.2.99');
		}
		expect(await attempt('official@example.vn', password, '192.0.2.99')).toMatchObject({
			ok: false,
			reason: 'rate_limited'
		});
	});

	it('counts only failures against a shared address: a whole office may sign in', async () => {
		for (let i = 0; i < CLIENT_LIMIT.max + 5; i++) {
			expect(await attempt('official@example.vn', password, '192.0.2.50')).toMatchObject({
				ok: true
			});
		}
		expect(await attempt('official@example.vn', 'wrong', '192.0.2.50')).toMatchObject({
			reason: 'invalid'
		});
	});

	it('stores only a hash of the session secret and validates the token it issued', async () => {
		const { token, session } = await createSession(t.db, userId);
		const row = await t.db
			.selectFrom('auth_session')
			.selectAll()
			.where('id', '=', session.id)
			.executeTakeFirstOrThrow();
		const secret = token.split('.')[1]!;
		expect(Buffer.from(row.secret_hash).toString('base64url')).not.toContain(secret);
		const valid = await validateSessionToken(t.db, token, policy);
		expect(valid?.user).toMatchObject({
			id: userId,
			email: 'official@example.vn',
			grants: [{ role: 'moderator' }]
		});
	});

	it('rejects a token whose secret was altered', async () => {
		const { token } = await createSession(t.db, userId);
		const [id, secret] = token.split('.');
		const altered = `${id}.${secret!.slice(0, -1)}${secret!.endsWith('A') ? 'B' : 'A'}`;
		expect(await validateSessionToken(t.db, altered, policy)).toBeNull();
		expect(await validateSessionToken(t.db, 'garbage', policy)).toBeNull();
		expect(await validateSessionToken(t.db, `${id}.`, policy)).toBeNull();
	});

	it('slides with use, ends after the idle period, and deletes what expired', async () => {
		const { token, session } = await createSession(t.db, userId);
		const start = session.createdAt.getTime();
		const later = await validateSessionToken(t.db, token, policy, new Date(start + 6 * DAY));
		expect(later?.refreshed).toBe(true);
		// idle 6 more days after the refresh: still alive (12 days after sign-in)
		expect(
			await validateSessionToken(t.db, token, policy, new Date(start + 12 * DAY))
		).not.toBeNull();
		// then 8 idle days: gone, and the row with it
		expect(await validateSessionToken(t.db, token, policy, new Date(start + 20 * DAY))).toBeNull();
		const left = await t.db
			.selectFrom('auth_session')
			.select('id')
			.where('id', '=', session.id)
			.execute();
		expect(left).toEqual([]);
	});

	it('ends at the absolute cap however often it is used', async () => {
		const { token, session } = await createSession(t.db, userId);
		const start = session.createdAt.getTime();
		for (let day = 5; day < 30; day += 5) {
			expect(
				await validateSessionToken(t.db, token, policy, new Date(start + day * DAY))
			).not.toBeNull();
		}
		expect(
			await validateSessionToken(t.db, token, policy, new Date(start + 30 * DAY + HOUR))
		).toBeNull();
	});

	it('ends every session of an account that is disabled or signed out everywhere', async () => {
		const a = await createSession(t.db, userId);
		const b = await createSession(t.db, userId);
		await invalidateUserSessions(t.db, userId);
		expect(await validateSessionToken(t.db, a.token, policy)).toBeNull();
		expect(await validateSessionToken(t.db, b.token, policy)).toBeNull();

		const c = await createSession(t.db, userId);
		await setUserDisabled(t.db, userId, true, userId);
		expect(await validateSessionToken(t.db, c.token, policy)).toBeNull();
		await setUserDisabled(t.db, userId, false, userId);
	});
});
