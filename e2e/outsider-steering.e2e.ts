import {
	expect,
	request as playwrightRequest,
	test,
	type APIRequestContext
} from '@playwright/test';
import { DEMO, DEMO_PASSWORD } from './helpers';

/**
 * What an outsider can steer without an account: where the portal sends someone right after they
 * typed their password, and what the anonymous page cache hands every other visitor.
 */

/** A request context with no cookies at all, as an anonymous visitor's first request. */
async function anonymous(baseURL: string | undefined): Promise<APIRequestContext> {
	return playwrightRequest.newContext({ baseURL });
}

/** Where a redirect goes, as a browser would resolve its Location against the site. */
function target(location: string, baseURL: string): URL {
	return new URL(location, baseURL);
}

const OFF_SITE = [
	'/\t/evil.example',
	'/\n/evil.example',
	'/\\evil.example',
	'//evil.example',
	'/.//evil.example',
	'https://evil.example/'
];

test('sign-in sends a person only to a page of this site, and never answers 500 to a crafted next', async ({
	baseURL
}) => {
	const site = new URL(baseURL!);
	const api = await anonymous(baseURL);
	for (const next of OFF_SITE) {
		const signedIn = await api.post('/sign-in', {
			form: { email: DEMO.admin, password: DEMO_PASSWORD, next },
			headers: { origin: site.origin, accept: 'text/html' },
			maxRedirects: 0
		});
		expect(signedIn.status(), JSON.stringify(next)).toBe(303);
		const to = target(signedIn.headers()['location']!, baseURL!);
		expect(to.origin, JSON.stringify(next)).toBe(site.origin);
		expect(to.pathname).toBe('/staff');
	}
	// signed in now: the sign-in page sends on at once, to a safe place, whatever the address says
	for (const next of [...OFF_SITE, '/\r/x', '/hỏi-đáp?q=thủ tục', '/\u0085/x']) {
		const page = await api.get(`/sign-in?next=${encodeURIComponent(next)}`, { maxRedirects: 0 });
		expect(page.status(), JSON.stringify(next)).toBe(303);
		expect(target(page.headers()['location']!, baseURL!).origin).toBe(site.origin);
	}
	const kept = await api.get(`/sign-in?next=${encodeURIComponent('/officials?x=thủ tục')}`, {
		maxRedirects: 0
	});
	expect(kept.headers()['location']).toBe('/officials?x=th%E1%BB%A7%20t%E1%BB%A5c');
	await api.dispose();
});

test('the language switch goes back only to a page of this site', async ({ baseURL }) => {
	const site = new URL(baseURL!);
	const api = await anonymous(baseURL);
	for (const next of [...OFF_SITE, '/\r/x']) {
		const switched = await api.post('/language', {
			form: { locale: 'en', next },
			headers: { origin: site.origin, accept: 'text/html' },
			maxRedirects: 0
		});
		expect(switched.status(), JSON.stringify(next)).toBe(303);
		expect(switched.headers()['location'], JSON.stringify(next)).toBe('/');
	}
	const back = await api.post('/language', {
		form: { locale: 'vi', next: '/questions?topic=dat-dai' },
		headers: { origin: site.origin, accept: 'text/html' },
		maxRedirects: 0
	});
	expect(back.headers()['location']).toBe('/questions?topic=dat-dai');
	await api.dispose();
});

const CACHED_PAGES = ['/questions', '/disclosures', '/surveys/sipas-mot-cua-vi-xuyen-2026'];

test('a data request neither fills nor reads the anonymous page cache', async ({ baseURL }) => {
	for (const path of CACHED_PAGES) {
		for (const first of ['data', 'page'] as const) {
			const api = await anonymous(baseURL);
			// twice each, so that whichever came first had the chance to be stored and served
			const order =
				first === 'data' ? ['data', 'page', 'data', 'page'] : ['page', 'data', 'page', 'data'];
			for (const kind of order) {
				const response = await api.get(kind === 'data' ? `${path}/__data.json` : path);
				expect(response.status(), `${kind} ${path}`).toBe(200);
				const type = response.headers()['content-type'] ?? '';
				if (kind === 'data') {
					expect(type, `${path}/__data.json after ${first}`).toContain('application/json');
					expect(await response.json()).toHaveProperty('type', 'data');
				} else {
					expect(type, `${path} after ${first}`).toContain('text/html');
					expect(await response.text()).toMatch(/^<!doctype html>/i);
				}
			}
			await api.dispose();
		}
	}
});

test('every copy of a cached page carries a CSP nonce of its own', async ({ baseURL }) => {
	let withScripts = 0;
	for (const path of CACHED_PAGES) {
		const api = await anonymous(baseURL);
		const nonces = new Set<string>();
		for (let i = 0; i < 3; i++) {
			const response = await api.get(path);
			const csp = response.headers()['content-security-policy'] ?? '';
			const nonce = csp.match(/'nonce-([^']+)'/)?.[1];
			// the page's own scripts carry the header's nonce, or they would not run; a page
			// without inline scripts (the survey ships none) gets no nonce at all
			const inPage = [...(await response.text()).matchAll(/nonce="([^"]+)"/g)].map((m) => m[1]);
			for (const n of inPage) expect(n, path).toBe(nonce);
			if (nonce) nonces.add(nonce);
			else expect(inPage, path).toEqual([]);
		}
		if (nonces.size) {
			withScripts++;
			expect(nonces.size, path).toBe(3);
		}
		await api.dispose();
	}
	// the lists hydrate, so their pages have inline scripts with a nonce
	expect(withScripts).toBeGreaterThanOrEqual(2);
});
