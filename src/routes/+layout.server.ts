import { areasFor } from '$lib/auth/access';
import { getLocale } from '$lib/paraglide/runtime';
import { config } from '$lib/server/config';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, url }) => ({
	locale: getLocale(),
	path: url.pathname + url.search,
	sourceUrl: config().sourceUrl ?? null,
	user: locals.user
		? { displayName: locals.user.displayName, areas: areasFor(locals.user.grants) }
		: null
});
