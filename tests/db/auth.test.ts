import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { signIn } from '$lib/server/auth/sign-in';
import { ACCOUNT_BACKOFF, CLIENT_BACKOFF, PAIR_BACKOFF } from '$lib/server/security/backoff';
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
	const attempt = (email: string, pw: string, clientAddress = '203.0.113.7', now?: Date) =>
		signIn(t.db, { email, password: pw, clientAddress, secret: 'x'.repeat(32), now });
	// a fixed time for the tests that move the clock: every attempt of such a test on one day
	const T0 = new Date('2026-12-07T02:00:00Z');

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

	it('lets the owner in from a clean client after ten wrong passwords from another (no lock-out)', async () => {
		const email = 'owner@example.vn';
		const owner = await createUser(t.db, { email, displayName: 'O', password }, null);
		for (let i = 0; i < 10; i++) {
			expect((await attempt(email, 'guess', '198.51.100.1')).ok).toBe(false);
		}
		expect(await attempt(email, password, '198.51.100.2')).toEqual({ ok: true, userId: owner });
	});

	it('slows a client that keeps failing for an account, with delays doubling up to 15 minutes', async () => {
		const email = 'slowed@example.vn';
		const id = await createUser(t.db, { email, displayName: 'S', password }, null);
		const client = '198.51.100.20';
		let now = T0;
		for (let i = 0; i < PAIR_BACKOFF.freeFailures; i++) {
			expect(await attempt(email, 'guess', client, now)).toEqual({ ok: false, reason: 'invalid' });
		}
		// during a delay even the right password is refused unchecked: no oracle for a guesser
		expect(await attempt(email, password, client, now)).toEqual({
			ok: false,
			reason: 'rate_limited',
			retryAfterSeconds: 1
		});
		const waits: number[] = [];
		let wait = 1;
		for (let i = 0; i < 11; i++) {
			now = new Date(now.getTime() + wait * 1000);
			expect(await attempt(email, 'guess', client, now)).toEqual({ ok: false, reason: 'invalid' });
			const refused = await attempt(email, password, client, now);
			expect(refused).toMatchObject({ ok: false, reason: 'rate_limited' });
			wait = (refused as { retryAfterSeconds: number }).retryAfterSeconds;
			waits.push(wait);
		}
		expect(waits).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
		// one second short of the end of the delay: still refused, with the time left
		expect(
			await attempt(email, password, client, new Date(now.getTime() + (wait - 1) * 1000))
		).toEqual({ ok: false, reason: 'rate_limited', retryAfterSeconds: 1 });
		now = new Date(now.getTime() + wait * 1000);
		expect(await attempt(email, password, client, now)).toEqual({ ok: true, userId: id });
		// success forgets this client's failures for the account
		expect(await attempt(email, 'typo', client, now)).toEqual({ ok: false, reason: 'invalid' });
		expect(await attempt(email, password, client, now)).toEqual({ ok: true, userId: id });
	});

	it('slows, across all clients, only the clients that already failed for the account', async () => {
		const email = 'distributed@example.vn';
		const id = await createUser(t.db, { email, displayName: 'D', password }, null);
		// a botnet: one wrong password from each of many addresses
		const failures = ACCOUNT_BACKOFF.freeFailures + 2;
		for (let i = 0; i < failures; i++) {
			expect(await attempt(email, 'guess', `203.0.113.${100 + i}`, T0)).toEqual({
				ok: false,
				reason: 'invalid'
			});
		}
		// a second try from an address that failed waits (4 s after 12 failures)
		expect(await attempt(email, password, '203.0.113.100', T0)).toEqual({
			ok: false,
			reason: 'rate_limited',
			retryAfterSeconds: 4
		});
		// the owner, on an address with no failures for the account, gets in at once
		expect(await attempt(email, password, '203.0.113.250', T0)).toEqual({ ok: true, userId: id });
		expect(await attempt(email, password, '203.0.113.100', new Date(T0.getTime() + 4000))).toEqual({
			ok: true,
			userId: id
		});
	});

	it('caps a client that tries many accounts, whatever the account (password spraying)', async () => {
		const sprayer = '192.0.2.99';
		for (let i = 0; i < CLIENT_BACKOFF.freeFailures; i++) {
			expect(await attempt(`spray${i}@example.vn`, 'guess', sprayer, T0)).toEqual({
				ok: false,
				reason: 'invalid'
			});
		}
		// a real account this client never tried, with its right password: still refused
		expect(await attempt('official@example.vn', password, sprayer, T0)).toEqual({
			ok: false,
			reason: 'rate_limited',
			retryAfterSeconds: 1
		});
		const later = new Date(T0.getTime() + 1000);
		expect(await attempt('spray-next@example.vn', 'guess', sprayer, later)).toEqual({
			ok: false,
			reason: 'invalid'
		});
		expect(await attempt('official@example.vn', password, sprayer, later)).toEqual({
			ok: false,
			reason: 'rate_limited',
			retryAfterSeconds: 2
		});
		// another client is not touched
		expect(await attempt('official@example.vn', password, '192.0.2.98', later)).toEqual({
			ok: true,
			userId
		});
	});

	it('admits one of many simultaneous guesses at the edge of a delay', async () => {
		const email = 'burst@example.vn';
		await createUser(t.db, { email, displayName: 'B', password }, null);
		const client = '198.51.100.30';
		for (let i = 0; i < PAIR_BACKOFF.freeFailures - 1; i++) {
			await attempt(email, 'guess', client, T0);
		}
		const burst = await Promise.all(
			Array.from({ length: 8 }, (_, i) => attempt(email, `guess${i}`, client, T0))
		);
		expect(burst.filter((r) => !r.ok && r.reason === 'invalid')).toHaveLength(1);
		expect(burst.filter((r) => !r.ok && r.reason === 'rate_limited')).toHaveLength(7);
	});

	it('keeps neither e-mails nor addresses, nor unkeyed hashes of them, in its counters', async () => {
		const keys = [
			...(await t.db.selectFrom('sign_in_failure').select('key').execute()),
			...(await t.db.selectFrom('rate_limit').select('key').execute())
		].map((k) => k.key);
		expect(keys.length).toBeGreaterThan(0);
		const plain = createHash('sha256').update('owner@example.vn').digest('base64url');
		for (const key of keys) {
			expect(key).not.toMatch(/example|198\.51|203\.0|192\.0/);
			expect(key).not.toContain(plain);
		}
	});

	it('counts only failures against a shared address: a whole office may sign in', async () => {
		for (let i = 0; i < CLIENT_BACKOFF.freeFailures + 5; i++) {
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
