import type { Handle } from '@sveltejs/kit';
import { cookieName as LOCALE_COOKIE, getLocale } from '$lib/paraglide/runtime';

/**
 * A page that is the same for every anonymous visitor, or the same but for one token, is rendered
 * once per locale every few seconds and otherwise served from memory (with that visitor's token
 * put in). The plain lists of questions and disclosures are the first kind: a new answer shows
 * within MAX_AGE_MS.
 * The one-page survey differs only by its random idempotency key, the receipt page only by the
 * receipt in its address: rendering them is most of what answering a survey costs the server,
 * and a copy cut at the token costs almost nothing.
 *
 * Only a GET without any cookie but the locale's is served or stored, so nothing personal (a
 * session, a resume code, a form's errors) is ever cached. A load that calls allowPageCache
 * promises its page depends on nothing but the path, the locale and the token, and its
 * `tokenFor` says which token another request gets, or null when that request must be rendered.
 */
const MAX_AGE_MS = 5000;
const MAX_ENTRIES = 200;
const NOT_COPIED = new Set(['etag', 'content-length', 'date', 'set-cookie']);

export type TokenFor = (url: URL) => string | null;

type Entry = {
	/** the page's bytes around each place the token was: copying bytes beats encoding text */
	parts: Buffer[];
	headers: [string, string][];
	tokenFor: TokenFor;
	at: number;
};

const entries = new Map<string, Entry>();

/**
 * Called by a load whose page may be cached: `token` is where each visitor's own token goes, or
 * null for a page without one (then `tokenFor` only says, with null, which requests it cannot serve).
 */
export function allowPageCache(locals: App.Locals, token: string | null, tokenFor: TokenFor) {
	locals.pageCache = { token, tokenFor };
}

/** Forgets every cached page, after a change this process made (a wave opened or closed). */
export function clearPageCache() {
	entries.clear();
}

function keyOf(request: Request, url: URL, cookieNames: string[]): string | null {
	if (request.method !== 'GET') return null;
	if (cookieNames.some((name) => name !== LOCALE_COOKIE)) return null;
	return `${getLocale()} ${url.pathname}`;
}

function serve(entry: Entry, token: string): Response {
	const bytes = Buffer.from(token);
	const body = Buffer.concat(entry.parts.flatMap((part, i) => (i ? [bytes, part] : [part])));
	return new Response(body, { status: 200, headers: entry.headers });
}

export const handlePageCache: Handle = async ({ event, resolve }) => {
	const key = keyOf(
		event.request,
		event.url,
		event.cookies.getAll().map((c) => c.name)
	);
	if (!key) return resolve(event);
	const entry = entries.get(key);
	if (entry && performance.now() - entry.at < MAX_AGE_MS) {
		const token = entry.tokenFor(event.url);
		if (token !== null) return serve(entry, token);
	}

	const response = await resolve(event);
	const allowed = event.locals.pageCache;
	// a request the copy could not serve (say, with a message in its query) is not stored either
	const storable = allowed && response.status === 200 && !response.headers.has('set-cookie');
	if (!storable || allowed.tokenFor(event.url) === null) return response;
	const html = await response.text();
	const parts = (allowed.token === null ? [html] : html.split(allowed.token)).map((part) =>
		Buffer.from(part)
	);
	// each copy carries a visitor's own token: no shared cache on the way may keep it
	const headers: [string, string][] = [
		...[...response.headers].filter(([name]) => !NOT_COPIED.has(name) && name !== 'cache-control'),
		['cache-control', 'private, no-store']
	];
	if (allowed.token === null || parts.length > 1) {
		if (entries.size >= MAX_ENTRIES) entries.clear();
		entries.set(key, { parts, headers, tokenFor: allowed.tokenFor, at: performance.now() });
	}
	return new Response(html, { status: 200, headers });
};
