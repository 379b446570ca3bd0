import { redirect } from '@sveltejs/kit';
import { cookieMaxAge, cookieName, isLocale } from '$lib/paraglide/runtime';
import { localPath } from '$lib/server/http/redirect';
import type { RequestHandler } from './$types';

/** The language switch: a plain form post, so it works without JavaScript; remembered in a cookie. */
export const POST: RequestHandler = async ({ request, cookies, url }) => {
	let form: FormData | undefined;
	try {
		form = await request.formData();
	} catch {
		form = undefined;
	}
	const locale = form?.get('locale');
	const next = form?.get('next');
	if (typeof locale === 'string' && isLocale(locale)) {
		// Readable by the page's own script too: Paraglide reads the locale from it in the browser.
		cookies.set(cookieName, locale, {
			path: '/',
			httpOnly: false,
			sameSite: 'lax',
			maxAge: cookieMaxAge
		});
	}
	redirect(303, localPath(next, url.origin, '/'));
};
