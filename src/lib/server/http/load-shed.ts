import type { Handle } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { escapeMarkup } from './escape';

/**
 * Past the rate it can serve, a server that keeps accepting work only makes every request slow:
 * queues grow (in the event loop, in the database pool) until clients time out and retry, which
 * adds more work. Instead, once `maxInFlight()` requests are being handled by this process, the next
 * one is answered at once with 503 and Retry-After, for almost no CPU, and the requests already
 * admitted finish at normal speed.
 *
 * The limit counts requests, not event-loop delay: the embedded database runs its queries on
 * the event loop, so a long query (an import, a recompute) blocks it without any overload.
 * Static files are served before this hook and are never counted.
 */
export type LoadShedder = { inFlight: () => number; handle: Handle };

export function loadShedder(maxInFlight: () => number, retryAfterSeconds = 2): LoadShedder {
	let inFlight = 0;
	const handle: Handle = async ({ event, resolve }) => {
		if (inFlight >= maxInFlight()) return overloaded(retryAfterSeconds);
		inFlight++;
		try {
			return await resolve(event);
		} finally {
			inFlight--;
		}
	};
	return { inFlight: () => inFlight, handle };
}

/** A complete page of its own, without rendering: it must cost far less than a real answer. */
export function overloaded(retryAfterSeconds: number): Response {
	const lang = getLocale();
	const body = `<!doctype html><html lang="${lang}"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeMarkup(m.overloaded_title())}</title><h1>${escapeMarkup(m.overloaded_title())}</h1><p>${escapeMarkup(m.overloaded_retry({ seconds: retryAfterSeconds }))}</p><p>${escapeMarkup(m.overloaded_form_kept())}</p></html>`;
	return new Response(body, {
		status: 503,
		headers: {
			'content-type': 'text/html; charset=utf-8',
			'retry-after': String(retryAfterSeconds),
			'cache-control': 'no-store',
			'content-security-policy': "default-src 'none'; base-uri 'none'; form-action 'none'",
			'x-content-type-options': 'nosniff'
		}
	});
}
