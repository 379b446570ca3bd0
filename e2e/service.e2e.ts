import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { DEMO, DEMO_PASSWORD } from './helpers';

/** The production build as an operator runs it: compression, caching headers, probes, logs. */

const SURVEY = '/surveys/sipas-mot-cua-vi-xuyen-2026';

/** A GET as it goes over the wire: no client here decompresses for us. */
function raw(path: string, headers: Record<string, string> = {}) {
	return new Promise<{ status: number; headers: Record<string, string>; body: Buffer }>(
		(resolve, reject) => {
			const req = httpRequest(new URL(path, baseURL), { headers }, (res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () =>
					resolve({
						status: res.statusCode!,
						headers: res.headers as Record<string, string>,
						body: Buffer.concat(chunks)
					})
				);
				res.on('error', reject);
			});
			req.on('error', reject);
			req.end();
		}
	);
}

test('pages go compressed as the browser asks: brotli, gzip, or plain', async () => {
	const plain = await raw(SURVEY);
	const gzip = await raw(SURVEY, { 'accept-encoding': 'gzip' });
	const br = await raw(SURVEY, { 'accept-encoding': 'gzip, deflate, br' });
	expect(plain.headers['content-encoding']).toBeUndefined();
	expect(gzip.headers['content-encoding']).toBe('gzip');
	expect(br.headers['content-encoding']).toBe('br');
	for (const r of [plain, gzip, br]) expect(r.headers.vary).toMatch(/Accept-Encoding/i);
	const text = plain.body.toString();
	expect(text).toContain('SIPAS');
	// the same page but for its own submit key and CSP nonce
	const shape = (html: string) => html.replace(/[A-Za-z0-9_+/=-]{20,}/g, '*');
	expect(shape(gunzipSync(gzip.body).toString())).toBe(shape(text));
	expect(shape(brotliDecompressSync(br.body).toString())).toBe(shape(text));
	expect(gzip.body.length).toBeLessThan(plain.body.length / 5);
	expect(br.body.length).toBeLessThan(gzip.body.length);

	const feed = await raw('/questions/feed.xml', { 'accept-encoding': 'gzip' });
	expect(feed.headers['content-type']).toMatch(/atom\+xml/);
	if (Number(feed.headers['content-length'] ?? Infinity) >= 1024)
		expect(feed.headers['content-encoding']).toBe('gzip');
	// the built files: adapter-node's precompressed copies
	const asset = '/' + text.match(/_app\/immutable\/[^"'\s]+\.(js|css)/)![0];
	const file = await raw(asset, { 'accept-encoding': 'br' });
	expect([file.status, file.headers['content-encoding']]).toEqual([200, 'br']);
});

test('a public list lets Back reuse it; staff pages and tracking pages are never stored', async () => {
	for (const path of ['/', '/questions', '/disclosures', '/plans', SURVEY]) {
		const response = await fetch(new URL(path, baseURL));
		expect(response.status, path).toBe(200);
		expect(response.headers.get('cache-control'), path).not.toMatch(/no-store/);
		expect(response.headers.get('cache-control'), path).toMatch(/private/);
	}
	const tracking = await fetch(new URL('/questions/track/AAAAAAAAAAAAAAAAAAAAAA', baseURL));
	expect(tracking.headers.get('cache-control')).toBe('private, no-store');

	const signIn = await fetch(new URL('/sign-in', baseURL), {
		method: 'POST',
		headers: { origin: baseURL, accept: 'text/html' },
		body: new URLSearchParams({ email: DEMO.analyst, password: DEMO_PASSWORD }),
		redirect: 'manual'
	});
	expect(signIn.status).toBe(303);
	const cookie = signIn.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.join('; ');
	for (const path of ['/staff', '/questions']) {
		const staff = await fetch(new URL(path, baseURL), { headers: { cookie }, redirect: 'manual' });
		expect(staff.status, path).toBe(200);
		expect(staff.headers.get('cache-control'), path).toBe('private, no-store');
	}
});

test('health probes: alive, ready, never cached, never sent to sign-in', async () => {
	const health = await fetch(new URL('/healthz', baseURL), {
		headers: { cookie: 'cv_session=not-a-session' },
		redirect: 'manual'
	});
	expect([health.status, await health.text()]).toEqual([200, 'ok\n']);
	expect(health.headers.get('cache-control')).toBe('no-store');
	const ready = await fetch(new URL('/readyz', baseURL));
	expect([ready.status, await ready.text()]).toEqual([200, 'ready\n']);
	expect(ready.headers.get('cache-control')).toBe('no-store');
	// a session cookie that is not one would be deleted by the session lookup: none happened
	expect(health.headers.get('set-cookie')).toBeNull();
});

test('every answer carries the server’s own request id', async () => {
	const a = await fetch(new URL('/questions', baseURL), {
		headers: { 'x-request-id': 'chosen-by-the-client' }
	});
	const b = await fetch(new URL('/questions', baseURL));
	const ids = [a, b].map((r) => r.headers.get('x-request-id'));
	for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
	expect(ids[0]).not.toBe(ids[1]);
});

/** Starts `node build` with exactly `env` (and PATH) and collects its output until it exits. */
function refusedStart(env: Record<string, string>) {
	return new Promise<{ code: number | null; output: string }>((resolve) => {
		const child = spawn('node', ['build'], {
			env: { PATH: process.env.PATH!, PORT: '4311', PGLITE_DIR: 'memory://', ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let output = '';
		child.stdout.on('data', (d) => (output += d));
		child.stderr.on('data', (d) => (output += d));
		const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
		child.once('exit', (code) => {
			clearTimeout(timer);
			resolve({ code, output });
		});
	});
}

test('the built server refuses to start on settings that would quietly weaken it', async () => {
	test.setTimeout(150_000);
	const noOrigin = await refusedStart({});
	expect(noOrigin.code).toBe(1);
	expect(noOrigin.output).toContain('ORIGIN: must be set');
	const line = JSON.parse(noOrigin.output.trim().split('\n').at(-1)!);
	expect(line).toMatchObject({ level: 'error', problems: [expect.stringMatching(/^ORIGIN/)] });

	const noDepth = await refusedStart({
		ORIGIN: 'http://localhost:4311',
		ADDRESS_HEADER: 'X-Forwarded-For'
	});
	expect(noDepth.code).toBe(1);
	expect(noDepth.output).toContain('XFF_DEPTH: must be set');
});
