import { randomBytes } from 'node:crypto';
import type { Handle, RequestEvent } from '@sveltejs/kit';
import { cookieName as LOCALE_COOKIE, getLocale } from '$lib/paraglide/runtime';
import { maxAgeFor, onChange } from '../cache/invalidation';

/**
 * A page that is the same for every anonymous visitor, or the same but for one token, is rendered
 * once per locale every few seconds and otherwise served from memory (with that visitor's token
 * put in). The plain lists of questions and disclosures are the first kind: a new answer shows
 * within MAX_AGE_MS.
 * The one-page survey differs only by its random idempotency key, the receipt page only by the
 * receipt in its address: rendering them is most of what answering a survey costs the server,
 * and a copy cut at the token costs almost nothing.
 *
 * Only a GET of a page (never its `__data.json`, which SvelteKit hands the hooks under the same
 * path) without any cookie but the locale's is served or stored, so nothing personal (a session,
 * a resume code, a form's errors) is ever cached. A load that calls allowPageCache promises its
 * page depends on nothing but the origin, the path, the locale and the token, and its `tokenFor`
 * says which token another request gets, or null when that request must be rendered.
 *
 * The CSP nonce is cut out like the token: every copy gets a nonce of its own, in the header and
 * in the page alike, so no visitor learns a nonce another visitor's page trusts.
 *
 * Any change announced by any server (see cache/invalidation.ts) empties the cache: a few
 * pages rendered again after a staff action cost less than knowing which page shows what.
 * While this process cannot hear the other servers, a copy lives at most a second.
 */
const MAX_AGE_MS = 5000;
const MAX_ENTRIES = 200;
const NOT_COPIED = new Set(['etag', 'content-length', 'date', 'set-cookie']);

export type TokenFor = (url: URL) => string | null;

type Slot = 'token' | 'nonce';

type Entry = {
	/** the page's bytes around each place a token or the nonce was: copying bytes beats encoding text */
	parts: Buffer[];
	/** what goes between part i and part i + 1 */
	slots: Slot[];
	/** the response's headers, with the nonce where the CSP had it */
	headers: [string, string][];
	nonce: string | null;
	tokenFor: TokenFor;
	at: number;
};

const entries = new Map<string, Entry>();
/** counts the clearings: a page whose rendering began before the last one is not stored */
let generation = 0;

/**
 * Called by a load whose page may be cached: `token` is where each visitor's own token goes, or
 * null for a page without one (then `tokenFor` only says, with null, which requests it cannot serve).
 */
export function allowPageCache(locals: App.Locals, token: string | null, tokenFor: TokenFor) {
	locals.pageCache = { token, tokenFor };
}

/** Forgets every cached page. */
export function clearPageCache() {
	entries.clear();
	generation++;
}

onChange(clearPageCache);

function keyOf(event: RequestEvent): string | null {
	if (event.request.method !== 'GET' || event.isDataRequest) return null;
	if (event.cookies.getAll().some(({ name }) => name !== LOCALE_COOKIE)) return null;
	return `${getLocale()} ${event.url.origin}${event.url.pathname}`;
}

/** A nonce as SvelteKit makes them: 128 random bits. */
const newNonce = () => randomBytes(16).toString('base64');

const NONCE_IN_CSP = /'nonce-([^']+)'/;

/** Cuts the page at every place of the token and of the nonce. */
function cut(html: string, token: string | null, nonce: string | null) {
	const marks = [token, nonce].filter((m): m is string => !!m);
	if (!marks.length) return { parts: [Buffer.from(html)], slots: [] };
	const pattern = new RegExp(
		marks.map((m) => m.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'),
		'g'
	);
	const parts: Buffer[] = [];
	const slots: Slot[] = [];
	let from = 0;
	for (const match of html.matchAll(pattern)) {
		parts.push(Buffer.from(html.slice(from, match.index)));
		slots.push(match[0] === token ? 'token' : 'nonce');
		from = match.index + match[0].length;
	}
	parts.push(Buffer.from(html.slice(from)));
	return { parts, slots };
}

function serve(entry: Entry, token: string): Response {
	const nonce = newNonce();
	const fill = { token: Buffer.from(token), nonce: Buffer.from(nonce) };
	const body = Buffer.concat(
		entry.parts.flatMap((part, i) => (i ? [fill[entry.slots[i - 1]!], part] : [part]))
	);
	const old = entry.nonce;
	const headers = old
		? entry.headers.map(([name, value]): [string, string] => [name, value.split(old).join(nonce)])
		: entry.headers;
	// its length lets the compression hook (around this one) compress it whole
	return new Response(body, {
		status: 200,
		headers: [...headers, ['content-length', String(body.byteLength)]]
	});
}

export const handlePageCache: Handle = async ({ event, resolve }) => {
	const key = keyOf(event);
	if (!key) return resolve(event);
	const entry = entries.get(key);
	if (entry && performance.now() - entry.at < maxAgeFor(MAX_AGE_MS)) {
		const token = entry.tokenFor(event.url);
		if (token !== null) return serve(entry, token);
	}

	const renderedFor = generation;
	// its age counts from when its data began to be read
	const started = performance.now();
	const response = await resolve(event);
	const allowed = event.locals.pageCache;
	// a request the copy could not serve (say, with a message in its query) is not stored either
	const storable = allowed && response.status === 200 && !response.headers.has('set-cookie');
	if (!storable || allowed.tokenFor(event.url) === null) return response;
	const html = await response.text();
	// each copy carries a visitor's own token and nonce: handleHeaders (around this hook) makes
	// every copy `private`, so no shared cache on the way keeps it (see cache-control.ts)
	const headers = [...response.headers].filter(([name]) => !NOT_COPIED.has(name));
	const nonce = response.headers.get('content-security-policy')?.match(NONCE_IN_CSP)?.[1] ?? null;
	const { parts, slots } = cut(html, allowed.token, nonce);
	if ((allowed.token === null || slots.includes('token')) && renderedFor === generation) {
		if (entries.size >= MAX_ENTRIES) entries.clear();
		entries.set(key, {
			parts,
			slots,
			headers,
			nonce,
			tokenFor: allowed.tokenFor,
			at: started
		});
	}
	return new Response(html, {
		status: 200,
		headers: [...headers, ['content-length', String(Buffer.byteLength(html))]]
	});
};
