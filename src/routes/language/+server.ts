import { redirect } from '@sveltejs/kit';
import { askedLocale, rememberLocale } from '$lib/server/http/locale';
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
	const locale = askedLocale(form);
	if (locale) rememberLocale(cookies, locale);
	const next = form?.get('next');
	redirect(303, localPath(next, url.origin, '/'));
};
