import type { Handle } from '@sveltejs/kit';
import { cookieName as LOCALE_COOKIE, getLocale } from '$lib/paraglide/runtime';

/**
 * A page that is the same for every anonymous visitor but for one random token (the one-page
 * survey: its idempotency key) is rendered once per locale every few seconds and otherwise
 * served from memory with a fresh token. Rendering the whole questionnaire is most of what a
 * survey visit costs the server; a copy cut at the token costs almost nothing.
 *
 * Only a GET without a query string and without any cookie but the locale's is served or stored,
 * so nothing personal (a session, a resume code, a form's errors) is ever cached. A load that
 * calls allowPageCache promises its page depends on nothing else but the URL and the locale.
 */
const MAX_AGE_MS = 5000;
const MAX_ENTRIES = 200;
const NOT_COPIED = new Set(['etag', 'content-length', 'date', 'set-cookie']);

type Entry = {
	/** the page's bytes around each place the token was: copying bytes beats encoding text */
	parts: Buffer[];
	headers: [string, string][];
	fresh: () => string;
	at: number;
};

const entries = new Map<string, Entry>();

/** Called by a load whose page may be cached: `token` is replaced by `fresh()` for each visitor. */
export function allowPageCache(locals: App.Locals, token: string, fresh: () => string) {
	locals.pageCache = { token, fresh };
}

/** Forgets every cached page, after a change this process made (a wave opened or closed). */
export function clearPageCache() {
	entries.clear();
}

function keyOf(request: Request, url: URL, cookieNames: string[]): string | null {
	if (request.method !== 'GET' || url.search) return null;
	if (cookieNames.some((name) => name !== LOCALE_COOKIE)) return null;
	return `${getLocale()} ${url.pathname}`;
}

function serve(entry: Entry): Response {
	const token = Buffer.from(entry.fresh());
	const body = Buffer.concat(entry.parts.flatMap((part, i) => (i ? [token, part] : [part])));
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
	if (entry && performance.now() - entry.at < MAX_AGE_MS) return serve(entry);

	const response = await resolve(event);
	const allowed = event.locals.pageCache;
	if (!allowed || response.status !== 200 || response.headers.has('set-cookie')) return response;
	const html = await response.text();
	const parts = html.split(allowed.token).map((part) => Buffer.from(part));
	const headers = [...response.headers].filter(([name]) => !NOT_COPIED.has(name));
	if (parts.length > 1) {
		if (entries.size >= MAX_ENTRIES) entries.clear();
		entries.set(key, { parts, headers, fresh: allowed.fresh, at: performance.now() });
	}
	return new Response(html, { status: 200, headers });
};
