import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatWait } from '$lib/auth/wait';
import { sessionExpiry } from '$lib/server/auth/session';
import {
	ACCOUNT_BACKOFF,
	CLIENT_BACKOFF,
	currentFailures,
	delaySeconds,
	PAIR_BACKOFF,
	signInWait,
	waitSeconds
} from '$lib/server/security/backoff';
import { accountKey, clientKey } from '$lib/server/security/rate-limit';
import { parseCsv } from '$lib/server/units/catalogue';
import { z } from 'zod';

describe('rate-limit keys', () => {
	const secret = 's'.repeat(32);
	const day1 = new Date('2026-11-22T10:00:00Z');
	const day2 = new Date('2026-11-23T10:00:00Z');

	it('never contain the address and change every day', () => {
		const key = clientKey('203.0.113.9', secret, day1);
		expect(key).not.toContain('203');
		expect(clientKey('203.0.113.9', secret, day1)).toBe(key);
		expect(clientKey('203.0.113.9', secret, day2)).not.toBe(key);
		expect(clientKey('203.0.113.10', secret, day1)).not.toBe(key);
	});

	it('identify an account whatever the case and spaces, without the e-mail', () => {
		expect(accountKey(' Official@Example.VN', secret)).toBe(
			accountKey('official@example.vn', secret)
		);
		expect(accountKey('official@example.vn', secret)).not.toContain('official');
	});

	it('identify an account only under the secret: a database copy cannot be checked against e-mails', () => {
		expect(accountKey('official@example.vn', 't'.repeat(32))).not.toBe(
			accountKey('official@example.vn', secret)
		);
		expect(accountKey('official@example.vn', secret)).not.toBe(
			createHash('sha256').update('official@example.vn').digest('base64url')
		);
	});
});

describe('sign-in delays', () => {
	const t0 = new Date('2026-12-07T02:00:00Z');
	const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

	it('start after the free failures at 1 s and double up to 15 minutes', () => {
		const delays = [0, 4, 5, 6, 7, 14, 15, 40, 10_000].map((n) => delaySeconds(n, PAIR_BACKOFF));
		expect(delays).toEqual([0, 0, 1, 2, 4, 512, 900, 900, 900]);
	});

	it('count down from the last failure, and forget failures a day after the last one', () => {
		const count = { failures: 8, lastFailureAt: t0 };
		expect(waitSeconds(count, PAIR_BACKOFF, t0)).toBe(8);
		expect(waitSeconds(count, PAIR_BACKOFF, at(7.2))).toBe(1);
		expect(waitSeconds(count, PAIR_BACKOFF, at(8))).toBe(0);
		expect(currentFailures(count, PAIR_BACKOFF, at(86_399))).toBe(8);
		expect(currentFailures(count, PAIR_BACKOFF, at(86_400))).toBe(0);
	});

	it('apply the account-wide delay only to a client that failed for the account', () => {
		const account = { failures: ACCOUNT_BACKOFF.freeFailures + 3, lastFailureAt: t0 };
		expect(signInWait({ account }, t0)).toBe(0);
		expect(signInWait({ account, pair: { failures: 1, lastFailureAt: t0 } }, t0)).toBe(8);
		// unless its failure is forgotten
		expect(signInWait({ account, pair: { failures: 1, lastFailureAt: at(-86_400) } }, t0)).toBe(0);
	});

	it('apply the client-wide delay to every account the client tries', () => {
		const client = { failures: CLIENT_BACKOFF.freeFailures, lastFailureAt: t0 };
		expect(signInWait({ client }, t0)).toBe(1);
	});
});

describe('sign-in wait, as told to the person', () => {
	it('is in seconds under a minute, else in minutes rounded up, in the page language', () => {
		expect(formatWait(1, 'vi')).toBe('1 giây');
		expect(formatWait(1, 'en')).toBe('1 second');
		expect(formatWait(59, 'en')).toBe('59 seconds');
		expect(formatWait(61, 'en')).toBe('2 minutes');
		expect(formatWait(900, 'vi')).toBe('15 phút');
	});
});

describe('session expiry', () => {
	const policy = { idleDays: 7, maxDays: 30 };
	it('is the idle limit after last use, capped at the absolute limit after sign-in', () => {
		const createdAt = new Date('2026-01-01T00:00:00Z');
		expect(sessionExpiry({ createdAt, lastVerifiedAt: createdAt }, policy).toISOString()).toBe(
			'2026-01-08T00:00:00.000Z'
		);
		const late = new Date('2026-01-28T00:00:00Z');
		expect(sessionExpiry({ createdAt, lastVerifiedAt: late }, policy).toISOString()).toBe(
			'2026-01-31T00:00:00.000Z'
		);
	});
});

describe('reference CSV reader', () => {
	const row = z.object({ code: z.string().regex(/^\d+$/), name: z.string().min(1) });
	it('reads rows by header', () => {
		expect(parseCsv('code,name\n01,Hà Nội\n', row)).toEqual([{ code: '01', name: 'Hà Nội' }]);
	});
	it('fails on the first bad line, naming it', () => {
		expect(() => parseCsv('code,name\n01,Hà Nội\nx1,Huế\n', row)).toThrow(/Line 3/);
		expect(() => parseCsv('code,name\n01,Hà Nội,extra\n', row)).toThrow(/Line 2/);
	});
});
