import { expect, test } from '@playwright/test';
import { expectNoAxeViolations, PUBLIC_PAGES } from './helpers';

test('the home page is in Vietnamese and presents the three public areas and staff sign-in', async ({
	page
}) => {
	await page.goto('/');
	await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Lắng nghe người dân, trả lời đúng hạn, công khai minh bạch'
	);
	await expect(page.getByText('Đơn vị triển khai: Tỉnh Tuyên Quang')).toBeVisible();
	const main = page.getByRole('main');
	for (const area of ['Tham gia khảo sát', 'Hỏi đáp', 'Thông tin công khai']) {
		await expect(main.getByRole('link', { name: area })).toBeVisible();
	}
	await expect(main.getByRole('link', { name: 'Đăng nhập cán bộ' })).toBeVisible();
	await expect(page.getByRole('navigation', { name: 'Điều hướng chính' })).toBeVisible();
	await expect(page.getByRole('contentinfo')).toContainText('Cục Thống kê');
});

test('the language switch turns the site to English and the choice persists', async ({ page }) => {
	await page.goto('/questions');
	await page.getByRole('button', { name: 'English' }).click();
	await expect(page).toHaveURL(/\/questions$/);
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Questions & answers');

	await page.getByRole('link', { name: 'Home', exact: true }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Listen to citizens, answer on time, publish openly'
	);
	await page.reload();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');

	await page.getByRole('button', { name: 'Tiếng Việt' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Lắng nghe người dân, trả lời đúng hạn, công khai minh bạch'
	);
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });
	test('the language switch still works', async ({ page }) => {
		await page.goto('/');
		await page.getByRole('button', { name: 'English' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(
			'Listen to citizens, answer on time, publish openly'
		);
	});
});

for (const locale of ['vi', 'en'] as const) {
	test(`axe finds nothing on any public page in ${locale}`, async ({ page, context, baseURL }) => {
		await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: baseURL! }]);
		for (const path of [...PUBLIC_PAGES, '/no-such-page']) {
			await page.goto(path);
			await expect(page.locator('html')).toHaveAttribute('lang', locale);
			await expectNoAxeViolations(page);
		}
	});
}

test('a skip link leads keyboard users to the main content', async ({ page }) => {
	await page.goto('/');
	await page.keyboard.press('Tab');
	const skip = page.getByRole('link', { name: 'Chuyển đến nội dung chính' });
	await expect(skip).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page.locator('main')).toBeFocused();
});

test('a 320 px phone gets the page without sideways scrolling', async ({ page }) => {
	await page.setViewportSize({ width: 320, height: 640 });
	for (const path of ['/', '/sign-in']) {
		await page.goto(path);
		const overflow = await page.evaluate(
			() => document.documentElement.scrollWidth - window.innerWidth
		);
		expect(overflow, path).toBeLessThanOrEqual(0);
	}
});

test('every response carries the security headers and a nonce-based CSP', async ({ request }) => {
	for (const path of ['/', '/sign-in', '/no-such-page']) {
		const response = await request.get(path);
		const headers = response.headers();
		const csp = headers['content-security-policy'] ?? '';
		const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
		expect(scriptSrc, path).toMatch(/'nonce-[^']+'/);
		expect(scriptSrc, path).not.toContain('unsafe-inline');
		expect(csp, path).toContain("frame-ancestors 'none'");
		expect(headers['x-content-type-options'], path).toBe('nosniff');
		expect(headers['referrer-policy'], path).toBe('strict-origin-when-cross-origin');
	}
});

test('a form posted from another site is refused (CSRF origin check)', async ({
	request,
	baseURL
}) => {
	const response = await request.post('/sign-in', {
		headers: {
			origin: 'https://evil.example',
			'content-type': 'application/x-www-form-urlencoded'
		},
		data: 'email=a%40b.vn&password=x'
	});
	expect(response.status()).toBe(403);
	const same = await request.post('/language', {
		headers: { origin: baseURL!, 'content-type': 'application/x-www-form-urlencoded' },
		data: 'locale=en&next=/',
		maxRedirects: 0
	});
	expect(same.status()).toBe(303);
});

test('malformed posts get a clear 4xx, never a 500', async ({ request, baseURL }) => {
	const headers = { origin: baseURL!, accept: 'text/html' };
	const broken = await request.post('/sign-in', {
		headers: { ...headers, 'content-type': 'multipart/form-data; boundary=nothing-follows' },
		data: 'this is not multipart'
	});
	expect(broken.status()).toBe(400);
	const empty = await request.post('/sign-in', { headers, form: {} });
	expect(empty.status()).toBe(400);
	const refusal = await empty.text();
	expect(refusal).toContain('Vui lòng nhập địa chỉ thư điện tử.');
	expect(refusal).toContain('Vui lòng nhập mật khẩu.');
	const json = await request.post('/sign-in', {
		headers: { ...headers, 'content-type': 'application/json' },
		data: '{}'
	});
	expect(json.status()).toBeGreaterThanOrEqual(400);
	expect(json.status()).toBeLessThan(500);
	const language = await request.post('/language', {
		headers: { ...headers, 'content-type': 'multipart/form-data; boundary=x' },
		data: '--x\r\nbroken',
		maxRedirects: 0
	});
	expect(language.status()).toBe(303);
	expect(language.headers()['location']).toBe('/');
});
