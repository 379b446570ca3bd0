import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { redirect, type RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { cacheControlFor, PRIVATE, PUBLIC_PAGE } from '$lib/server/http/cache-control';
import { chooseEncoding, compressResponse, isCompressible } from '$lib/server/http/compress';
import { probes, readiness, type Readiness } from '$lib/server/http/probes';
import { requestLog } from '$lib/server/http/request-log';
import { createLogger, errorFields } from '$lib/server/log';
import type { Db } from '$lib/server/db';

const EMAIL = 'nguoidan.planted@example.vn';
const TOKEN = 'Tr4ckT0kenPlanted22chr';
const CODE = 'RESUME-PLANTED-CODE';
const ADDRESS = '203.0.113.77';

function fakeEvent(url: string, routeId: string | null, method = 'GET'): RequestEvent {
	return {
		request: new Request(url, {
			method,
			headers: {
				'x-forwarded-for': ADDRESS,
				'x-request-id': 'client-chosen-id',
				cookie: `cv_survey_sipas=${CODE}`
			}
		}),
		url: new URL(url),
		route: { id: routeId },
		locals: { user: null, session: null },
		getClientAddress: () => ADDRESS
	} as unknown as RequestEvent;
}

function memoryLogger(level: 'debug' | 'info' = 'info') {
	const lines: string[] = [];
	return {
		lines,
		logger: createLogger({ level, format: 'json', write: (l) => lines.push(l) })
	};
}

describe('request log', () => {
	it('writes one JSON line per request with the route id, and nothing that names a person', async () => {
		const { lines, logger } = memoryLogger();
		const handle = requestLog({ logger });
		const event = fakeEvent(
			`http://localhost/questions/track/${TOKEN}?email=${encodeURIComponent(EMAIL)}&code=${CODE}`,
			'/questions/track/[token]'
		);
		const response = await handle({
			event,
			resolve: async () => new Response('x'.repeat(1500), { status: 200 })
		});
		expect(await response.text()).toHaveLength(1500);
		expect(lines).toHaveLength(1);
		const line = JSON.parse(lines[0]!);
		expect(line).toMatchObject({
			level: 'info',
			msg: 'request',
			method: 'GET',
			route: '/questions/track/[token]',
			status: 200,
			bytes: 1500
		});
		expect(typeof line.ms).toBe('number');
		expect(new Date(line.time).getTime()).not.toBeNaN();
		// the server's id, sent back, not the one the client offered
		expect(line.id).toMatch(/^[0-9a-f-]{36}$/);
		expect(response.headers.get('x-request-id')).toBe(line.id);
		expect(event.locals.requestId).toBe(line.id);
		for (const secret of [EMAIL, 'nguoidan', TOKEN, CODE, ADDRESS, 'client-chosen-id', '?'])
			expect(lines[0]).not.toContain(secret);
	});

	it('logs a thrown redirect with its status, and the probes only at debug', async () => {
		const { lines, logger } = memoryLogger();
		const handle = requestLog({
			logger,
			label: (e) => e.url.pathname,
			quiet: (e) => e.url.pathname === '/healthz'
		});
		await expect(
			handle({
				event: fakeEvent('http://localhost/staff', '/(staff)/staff'),
				resolve: async () => redirect(303, '/sign-in')
			})
		).rejects.toBeTruthy();
		expect(JSON.parse(lines[0]!)).toMatchObject({ status: 303, route: '/(staff)/staff' });
		const ok = await handle({
			event: fakeEvent('http://localhost/healthz', null),
			resolve: async () => new Response('ok')
		});
		await ok.text();
		expect(lines).toHaveLength(1);
		const verbose = memoryLogger('debug');
		const loud = requestLog({ ...verbose, label: (e) => e.url.pathname, quiet: () => true });
		await (
			await loud({
				event: fakeEvent('http://localhost/healthz', null),
				resolve: async () => new Response('ok')
			})
		).text();
		expect(JSON.parse(verbose.lines[0]!)).toMatchObject({ level: 'debug', route: '/healthz' });
	});

	it('writes an error with its stack, in JSON and in the readable dev format', () => {
		const json: string[] = [];
		const text: string[] = [];
		const error = new Error('boom', { cause: new Error('underneath') });
		const where = { id: 'abc', route: '/questions/[code]' };
		createLogger({ level: 'info', format: 'json', write: (l) => json.push(l) }).error(
			'request failed',
			{ ...where, ...errorFields(error) }
		);
		const parsed = JSON.parse(json[0]!);
		expect(parsed).toMatchObject({ level: 'error', id: 'abc', route: '/questions/[code]' });
		expect(parsed.error).toMatchObject({ name: 'Error', message: 'boom' });
		expect(parsed.error.stack).toContain('service.test.ts');
		expect(parsed.cause).toContain('underneath');
		createLogger({ level: 'info', format: 'text', write: (l) => text.push(l) }).error(
			'request failed',
			{ ...where, ...errorFields(error) }
		);
		expect(text[0]).toMatch(
			/^\d\d:\d\d:\d\d\.\d{3} ERROR request failed id=abc route=\/questions\/\[code\] .*\nError: boom\n\s+at /
		);
	});

	it('keeps below its level quiet', () => {
		const { lines, logger } = memoryLogger();
		logger.debug('hidden');
		logger.warn('shown');
		expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['shown']);
	});
});

describe('compression', () => {
	it('follows Accept-Encoding with q-values, brotli on a tie, identity when nothing fits', () => {
		expect(chooseEncoding(null)).toBe('identity');
		expect(chooseEncoding('gzip, deflate, br')).toBe('br');
		expect(chooseEncoding('gzip')).toBe('gzip');
		expect(chooseEncoding('br;q=0.5, gzip;q=0.8')).toBe('gzip');
		expect(chooseEncoding('br;q=0, gzip;q=0')).toBe('identity');
		expect(chooseEncoding('*')).toBe('br');
		expect(chooseEncoding('*;q=0.3, br;q=0')).toBe('gzip');
		expect(chooseEncoding('deflate')).toBe('identity');
		expect(chooseEncoding('gzip;q=0.2, identity;q=1')).toBe('identity');
		expect(chooseEncoding('gzip;q=nonsense')).toBe('identity');
	});

	it('takes pages, JSON, CSV, feeds and text, not what is compressed already', () => {
		for (const type of [
			'text/html; charset=utf-8',
			'application/json',
			'text/csv; charset=utf-8',
			'application/atom+xml; charset=utf-8',
			'application/rss+xml',
			'application/xml',
			'text/plain',
			'image/svg+xml',
			'application/schema+json'
		])
			expect(isCompressible(type), type).toBe(true);
		for (const type of [
			'application/pdf',
			'image/png',
			'application/zip',
			'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'application/octet-stream',
			null
		])
			expect(isCompressible(type), String(type)).toBe(false);
	});

	const html = '<p>Phiếu khảo sát SIPAS</p>'.repeat(200);
	const page = () =>
		new Response(html, {
			headers: {
				'content-type': 'text/html; charset=utf-8',
				'content-length': String(Buffer.byteLength(html)),
				etag: '"v1"'
			}
		});

	it('compresses a page in brotli or gzip, with Vary and a weak ETag', async () => {
		const br = await compressResponse(page(), 'gzip, br');
		expect(br.headers.get('content-encoding')).toBe('br');
		expect(br.headers.get('vary')).toBe('Accept-Encoding');
		expect(br.headers.get('etag')).toBe('W/"v1"');
		const brBytes = Buffer.from(await br.arrayBuffer());
		expect(Number(br.headers.get('content-length'))).toBe(brBytes.length);
		expect(brotliDecompressSync(brBytes).toString()).toBe(html);
		expect(brBytes.length).toBeLessThan(Buffer.byteLength(html) / 10);

		const gz = await compressResponse(page(), 'gzip');
		expect(gz.headers.get('content-encoding')).toBe('gzip');
		expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(html);

		const plain = await compressResponse(page(), null);
		expect(plain.headers.get('content-encoding')).toBeNull();
		expect(plain.headers.get('vary')).toBe('Accept-Encoding');
		expect(await plain.text()).toBe(html);
	});

	it('leaves tiny bodies, PDFs, ranges and no-transform alone', async () => {
		const tiny = new Response('ok', {
			headers: { 'content-type': 'text/plain', 'content-length': '2' }
		});
		expect((await compressResponse(tiny, 'br')).headers.get('content-encoding')).toBeNull();
		const pdf = new Response(new Uint8Array(5000), {
			headers: { 'content-type': 'application/pdf', 'content-length': '5000' }
		});
		expect((await compressResponse(pdf, 'br')).headers.get('content-encoding')).toBeNull();
		const kept = page();
		kept.headers.set('cache-control', 'private, no-store, no-transform');
		expect((await compressResponse(kept, 'br')).headers.get('content-encoding')).toBeNull();
	});

	it('streams a stream: each chunk reaches the client before the next is produced', async () => {
		let release!: () => void;
		const waiting = new Promise<void>((r) => (release = r));
		const row = 'ma_xa,ket_qua\n'.repeat(200);
		const source = new ReadableStream<Uint8Array>({
			async start(controller) {
				controller.enqueue(new TextEncoder().encode(row));
				await waiting; // the second chunk only once the first has been read
				controller.enqueue(new TextEncoder().encode(row));
				controller.close();
			}
		});
		const response = await compressResponse(
			new Response(source, { headers: { 'content-type': 'text/csv' } }),
			'gzip'
		);
		expect(response.headers.get('content-encoding')).toBe('gzip');
		expect(response.headers.get('content-length')).toBeNull();
		const reader = response.body!.getReader();
		const first: Uint8Array[] = [];
		// the first chunk decodes on its own (flushed) while the source still holds the second
		let got = Buffer.alloc(0);
		while (!gunzipPartial(got).includes(row)) {
			const { value, done } = await reader.read();
			expect(done).toBe(false);
			first.push(value!);
			got = Buffer.concat(first);
		}
		release();
		for (;;) {
			const { value, done } = await reader.read();
			if (done) break;
			first.push(value);
		}
		expect(gunzipSync(Buffer.concat(first)).toString()).toBe(row + row);
	});
});

/** What a gzip stream cut anywhere decodes to so far. */
function gunzipPartial(bytes: Buffer): string {
	try {
		return gunzipSync(bytes, { finishFlush: 2 /* Z_SYNC_FLUSH */ }).toString();
	} catch {
		return '';
	}
}

describe('cache-control', () => {
	const facts = {
		routeId: '/questions',
		signedIn: false,
		personalCookie: false,
		setsCookie: false,
		current: null
	};

	it('lets a phone keep a public list for Back: no no-store', () => {
		expect(cacheControlFor(facts)).toBe(PUBLIC_PAGE);
		expect(PUBLIC_PAGE).not.toContain('no-store');
		expect(cacheControlFor({ ...facts, current: 'public, max-age=300' })).toBe(
			'public, max-age=300'
		);
	});

	it('keeps no-store for staff, tracking tokens, receipts, drafts and cookies', () => {
		expect(cacheControlFor({ ...facts, signedIn: true })).toBe(PRIVATE);
		expect(cacheControlFor({ ...facts, personalCookie: true })).toBe(PRIVATE);
		expect(cacheControlFor({ ...facts, setsCookie: true })).toBe(PRIVATE);
		for (const routeId of [
			'/questions/track/[token]',
			'/questions/track/[token]/files/[id]',
			'/questions/stop/[token]',
			'/surveys/[slug]/thanks',
			'/surveys/[slug]/step/[n]',
			'/surveys/[slug]/review'
		])
			expect(cacheControlFor({ ...facts, routeId, current: 'public, max-age=60' }), routeId).toBe(
				PRIVATE
			);
		expect(cacheControlFor({ ...facts, routeId: '/surveys/[slug]' })).toBe(PUBLIC_PAGE);
	});
});

describe('health probes', () => {
	const fakeDb = (rows: { name: string }[] | Error | 'hang') =>
		({
			getExecutor: () => ({
				transformQuery: (q: unknown) => q,
				compileQuery: (q: unknown) => q,
				executeQuery: () =>
					rows === 'hang'
						? new Promise(() => {})
						: rows instanceof Error
							? Promise.reject(rows)
							: Promise.resolve({ rows })
			})
		}) as unknown as Db;
	const known = async () => ['001-a', '002-b'];

	it('is ready when the database answers and has every migration', async () => {
		const db = fakeDb([{ name: '001-a' }, { name: '002-b' }]);
		expect(await readiness(async () => db, known)).toEqual({ ready: true });
	});

	it('is not ready with a migration missing, the database down, or no answer', async () => {
		expect(await readiness(async () => fakeDb([{ name: '001-a' }]), known)).toEqual({
			ready: false,
			reason: 'migrations pending: 002-b'
		});
		const down = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), {
			code: 'ECONNREFUSED'
		});
		const refused = await readiness(async () => fakeDb(down), known);
		expect(refused).toMatchObject({ ready: false });
		// no host or port of the database in a public answer
		expect(JSON.stringify(refused)).not.toContain('10.0.0.5');
		expect(await readiness(async () => fakeDb('hang'), known, 50)).toEqual({
			ready: false,
			reason: 'database: no answer within 50 ms'
		});
	});

	it('answers /healthz and /readyz itself, uncached, and passes the rest on', async () => {
		let state: Readiness = { ready: true };
		const handle = probes(async () => state);
		const call = (path: string, method = 'GET') =>
			handle({
				event: fakeEvent(`http://localhost${path}`, null, method),
				resolve: async () => new Response('page')
			});
		const health = await call('/healthz');
		expect([health.status, await health.text()]).toEqual([200, 'ok\n']);
		expect(health.headers.get('cache-control')).toBe('no-store');
		expect((await call('/readyz')).status).toBe(200);
		// a read replica down: still ready, reads go to the primary, and the answer says so
		state = { ready: true, note: 'read replica unavailable, analytics read from the primary' };
		const degraded = await call('/readyz');
		expect([degraded.status, await degraded.text()]).toEqual([
			200,
			'ready; read replica unavailable, analytics read from the primary\n'
		]);
		state = { ready: false, reason: 'migrations pending: 002-b' };
		const notReady = await call('/readyz');
		expect([notReady.status, await notReady.text()]).toEqual([
			503,
			'not ready: migrations pending: 002-b\n'
		]);
		expect((await call('/healthz', 'POST')).status).toBe(405);
		expect(await (await call('/questions')).text()).toBe('page');
	});
});
