import { expect, test } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { expectNoAxeViolations } from './helpers';

test('robots.txt keeps crawlers out of staff areas and names the sitemap on this origin', async ({
	request
}) => {
	const response = await request.get('/robots.txt');
	expect(response.headers()['content-type']).toContain('text/plain');
	const lines = (await response.text()).split('\n');
	expect(lines).toEqual(
		expect.arrayContaining([
			'User-agent: *',
			'Disallow: /officials',
			'Disallow: /admin',
			'Disallow: /questions/track',
			`Sitemap: ${baseURL}/sitemap.xml`
		])
	);
});

test('the sitemap is well-formed XML of absolute public addresses, public questions included (plans: tests/db/sitemap.test.ts)', async ({
	page,
	request
}) => {
	// the public list first: a question other tests publish meanwhile is not in the list either
	await page.goto('/questions');
	const listed = await page
		.locator('main a[href*="questions/HD-"]')
		.evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
	expect(listed.length).toBeGreaterThan(0);

	const response = await request.get('/sitemap.xml');
	expect(response.status()).toBe(200);
	expect(response.headers()['content-type']).toContain('application/xml');
	const xml = await response.text();
	const parsed = await page.evaluate((text) => {
		const doc = new DOMParser().parseFromString(text, 'application/xml');
		return {
			error: doc.getElementsByTagName('parsererror').length > 0,
			root: doc.documentElement.namespaceURI,
			locs: [...doc.getElementsByTagName('loc')].map((l) => l.textContent ?? '')
		};
	}, xml);
	expect(parsed.error).toBe(false);
	expect(parsed.root).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
	expect(parsed.locs).toContain(`${baseURL}/questions`);
	expect(parsed.locs.every((loc) => loc.startsWith(`${baseURL}/`))).toBe(true);
	expect(parsed.locs.some((loc) => loc.startsWith(`${baseURL}/disclosures/`))).toBe(true);

	for (const href of listed) expect(parsed.locs).toContain(href);
	expect(parsed.locs.some((loc) => loc.includes('/officials') || loc.includes('/track/'))).toBe(
		false
	);
});

test('the footer links the licence, served as text with the third-party notice', async ({
	page,
	request
}) => {
	await page.goto('/');
	const link = page
		.locator('footer')
		.getByRole('link', { name: 'Giấy phép và thông báo bản quyền' });
	await expect(link).toHaveAttribute('href', '/license');
	await expectNoAxeViolations(page);
	const response = await request.get('/license');
	expect(response.headers()['content-type']).toContain('text/plain');
	const text = await response.text();
	expect(text).toContain('Copyright (C) 2026 Civic Voice contributors');
	expect(text).toContain('GNU AFFERO GENERAL PUBLIC LICENSE');
	expect(text).toContain('Copyright (c) 2025 Tran Ngoc Minh Hieu');
});
