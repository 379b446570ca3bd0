import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import {
	brotliCompress,
	constants,
	createBrotliCompress,
	createGzip,
	gzip,
	type BrotliOptions,
	type ZlibOptions
} from 'node:zlib';
import type { Handle } from '@sveltejs/kit';

/**
 * Compresses what the app renders (pages, JSON, CSV, feeds, text) with brotli or gzip, as the
 * client's Accept-Encoding prefers. Files of the build are served before the hooks by
 * adapter-node, compressed ahead of time (`precompress` in svelte.config.js).
 *
 * A body of known length is compressed whole in the thread pool; a stream (a CSV export) is
 * compressed chunk by chunk with a flush after each, so it still reaches the client as it is
 * produced. Tiny bodies and formats that are compressed already (PDF, images, zip, xlsx/docx)
 * go as they are.
 *
 * BREACH: it needs a secret that stays the same over thousands of responses, in a body that also
 * reflects what an attacker sends, fetched with the victim's credentials. No page here carries
 * such a secret: there is no CSRF token (SvelteKit checks the Origin header), the session is a
 * cookie never written into a page, and what is secret in a page (the CSP nonce, a survey's
 * submit key) is new in every response. A tracking token or receipt is in the page's own
 * address, which an attacker would need to know already. The session cookie is SameSite=Lax, so
 * a foreign site cannot make the browser fetch staff pages with it anyway. So staff pages are
 * compressed too. A page that ever shows a lasting secret next to reflected input must set
 * `cache-control: no-transform`, which this hook respects.
 */
export type Encoding = 'br' | 'gzip' | 'identity';

const MIN_BYTES = 1024;
const BROTLI: BrotliOptions = { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } };
const GZIP: ZlibOptions = { level: 6 };
const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** The encoding the client ranks highest (q-values), brotli on a tie; identity if none. */
export function chooseEncoding(acceptEncoding: string | null): Encoding {
	if (!acceptEncoding) return 'identity';
	const q = new Map<string, number>();
	for (const part of acceptEncoding.split(',')) {
		const [name, ...params] = part.trim().toLowerCase().split(';');
		if (!name) continue;
		const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
		const value = qParam ? Number(qParam.slice(2)) : 1;
		q.set(name === 'x-gzip' ? 'gzip' : name, Number.isFinite(value) ? value : 0);
	}
	const rank = (name: string, fallback: number) => q.get(name) ?? q.get('*') ?? fallback;
	const br = rank('br', 0);
	const gz = rank('gzip', 0);
	const best = Math.max(br, gz);
	if (best <= 0 || best < rank('identity', 0)) return 'identity';
	return br >= gz ? 'br' : 'gzip';
}

const COMPRESSIBLE =
	/^(text\/[\w.+-]+|application\/([\w.-]+\+)?(json|xml|javascript)|image\/svg\+xml)\s*(;|$)/i;

export function isCompressible(contentType: string | null): boolean {
	return !!contentType && COMPRESSIBLE.test(contentType);
}

function addVary(headers: Headers, name: string) {
	const vary = headers.get('vary');
	if (!vary) headers.set('vary', name);
	else if (
		!vary
			.toLowerCase()
			.split(/\s*,\s*/)
			.includes(name.toLowerCase())
	)
		headers.set('vary', `${vary}, ${name}`);
}

/** A stream compressed as it comes: every chunk the source gives is flushed to the client. */
function compressStream(body: ReadableStream<Uint8Array>, encoding: 'br' | 'gzip') {
	const zip =
		encoding === 'br'
			? createBrotliCompress({ ...BROTLI, flush: constants.BROTLI_OPERATION_FLUSH })
			: createGzip({ ...GZIP, flush: constants.Z_SYNC_FLUSH });
	const source = Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>);
	source.on('error', (e) => zip.destroy(e));
	zip.on('close', () => source.destroy());
	source.pipe(zip);
	return Readable.toWeb(zip) as unknown as ReadableStream<Uint8Array>;
}

export async function compressResponse(
	response: Response,
	acceptEncoding: string | null
): Promise<Response> {
	const headers = response.headers;
	if (
		!response.body ||
		!isCompressible(headers.get('content-type')) ||
		headers.has('content-encoding') ||
		headers.has('content-range') ||
		/\bno-transform\b/i.test(headers.get('cache-control') ?? '')
	)
		return response;
	addVary(headers, 'Accept-Encoding');
	const length = headers.get('content-length');
	const encoding = chooseEncoding(acceptEncoding);
	if (encoding === 'identity' || (length !== null && Number(length) < MIN_BYTES)) return response;

	const out = new Headers(headers);
	out.set('content-encoding', encoding);
	const etag = out.get('etag');
	if (etag && !etag.startsWith('W/')) out.set('etag', `W/${etag}`);
	let body: ReadableStream<Uint8Array> | Uint8Array<ArrayBuffer>;
	if (length !== null) {
		const raw = Buffer.from(await response.arrayBuffer());
		const zipped = encoding === 'br' ? await brotliAsync(raw, BROTLI) : await gzipAsync(raw, GZIP);
		body = new Uint8Array(zipped.buffer as ArrayBuffer, zipped.byteOffset, zipped.byteLength);
		out.set('content-length', String(body.byteLength));
	} else {
		body = compressStream(response.body, encoding);
		out.delete('content-length');
	}
	return new Response(body, {
		status: response.status,
		statusText: response.statusText,
		headers: out
	});
}

export const handleCompression: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (event.request.method === 'HEAD') return response;
	return compressResponse(response, event.request.headers.get('accept-encoding'));
};
