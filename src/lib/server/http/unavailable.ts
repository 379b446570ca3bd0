import type { Handle } from '@sveltejs/kit';

export const RETRY_AFTER_UNAVAILABLE_SECONDS = 5;

/** Turns the error page of a request that failed for want of the database into a 503. */
export const handleUnavailable: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (!event.locals.databaseUnavailable || response.status < 500) return response;
	const headers = new Headers(response.headers);
	headers.set('retry-after', String(RETRY_AFTER_UNAVAILABLE_SECONDS));
	headers.set('cache-control', 'no-store');
	return new Response(response.body, { status: 503, headers });
};
