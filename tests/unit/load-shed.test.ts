import type { RequestEvent, ResolveOptions } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { loadShedder } from '$lib/server/http/load-shed';
import { isDatabaseUnavailable } from '$lib/server/db/unavailable';

type Resolve = (event: RequestEvent, opts?: ResolveOptions) => Promise<Response>;

/** A request the app is still working on, finished when the test says so. */
function pending() {
	let finish!: () => void;
	const done = new Promise<void>((r) => (finish = r));
	const resolve: Resolve = async () => {
		await done;
		return new Response('ok');
	};
	return { resolve, finish };
}

const event = {} as RequestEvent;

describe('load shedding', () => {
	it('answers 503 with Retry-After past the limit, at once, and admits again once one finishes', async () => {
		const shedder = loadShedder(() => 2, 3);
		const a = pending();
		const b = pending();
		const first = shedder.handle({ event, resolve: a.resolve });
		const second = shedder.handle({ event, resolve: b.resolve });
		expect(shedder.inFlight()).toBe(2);

		const shed = await shedder.handle({ event, resolve: pending().resolve });
		expect(shed.status).toBe(503);
		expect(shed.headers.get('retry-after')).toBe('3');
		expect(shed.headers.get('content-security-policy')).toContain("default-src 'none'");
		expect(await shed.text()).toContain('Quay lại');

		a.finish();
		expect((await first).status).toBe(200);
		expect(shedder.inFlight()).toBe(1);
		const c = pending();
		const third = shedder.handle({ event, resolve: c.resolve });
		expect(shedder.inFlight()).toBe(2);
		b.finish();
		c.finish();
		expect((await second).status).toBe(200);
		expect((await third).status).toBe(200);
		expect(shedder.inFlight()).toBe(0);
	});

	it('counts a request that failed as finished', async () => {
		const shedder = loadShedder(() => 1);
		await expect(
			shedder.handle({ event, resolve: () => Promise.reject(new Error('boom')) })
		).rejects.toThrow('boom');
		expect(shedder.inFlight()).toBe(0);
	});
});

describe('database unavailable', () => {
	const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

	it('recognises a server shutting down or restarting and a refused or cut connection', () => {
		expect(isDatabaseUnavailable(withCode('57P01', 'terminating connection'))).toBe(true);
		expect(isDatabaseUnavailable(withCode('57P03', 'the database system is starting up'))).toBe(
			true
		);
		expect(isDatabaseUnavailable(withCode('08006'))).toBe(true);
		expect(isDatabaseUnavailable(withCode('ECONNREFUSED'))).toBe(true);
		expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
		expect(isDatabaseUnavailable(new Error('wrapped', { cause: withCode('ECONNRESET') }))).toBe(
			true
		);
	});

	it('leaves real errors alone', () => {
		expect(isDatabaseUnavailable(withCode('23505', 'duplicate key'))).toBe(false);
		expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
		expect(isDatabaseUnavailable('a string')).toBe(false);
	});
});
