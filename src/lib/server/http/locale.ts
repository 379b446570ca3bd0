import type { Cookies } from '@sveltejs/kit';
import { cookieMaxAge, cookieName, isLocale, type Locale } from '$lib/paraglide/runtime';

/** The language a form asked for (its `locale` field), if it is one the site speaks. */
export function askedLocale(form: FormData | undefined): Locale | null {
	const locale = form?.get('locale');
	return typeof locale === 'string' && isLocale(locale) ? locale : null;
}

/** Remembers the visitor's language, readable by the page's own script too (Paraglide reads it). */
export function rememberLocale(cookies: Cookies, locale: Locale) {
	cookies.set(cookieName, locale, {
		path: '/',
		httpOnly: false,
		sameSite: 'lax',
		maxAge: cookieMaxAge
	});
}
