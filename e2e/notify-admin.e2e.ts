import { expect, test } from '@playwright/test';
import { DEMO, expectNoAxeViolations, signIn } from './helpers';

test('an administrator sees what the outbox did and its dead letters; nobody else does', async ({
	browser,
	page
}) => {
	await signIn(page, DEMO.admin);
	await page.goto('/admin');
	await page.getByRole('link', { name: 'Thông báo gửi đi' }).first().click();
	await expect(page).toHaveURL(/\/admin\/notifications$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thông báo gửi đi');
	await expect(
		page
			.getByRole('navigation', { name: 'Chức năng dành cho cán bộ' })
			.locator('[aria-current="page"]')
	).toHaveText('Thông báo gửi đi');

	const counts = page.getByRole('table', {
		name: 'Thông báo trong 30 ngày qua, theo kênh và trạng thái'
	});
	await expect(counts.getByRole('columnheader')).toHaveText([
		'Kênh',
		'Chờ gửi',
		'Đã gửi',
		'Không gửi (người nhận không còn liên hệ)',
		'Gửi không thành công'
	]);
	await expect(counts.getByRole('rowheader')).toHaveText(['Thư điện tử', 'SMS/Zalo (webhook)']);
	for (const cell of await counts.getByRole('cell').all()) await expect(cell).toHaveText(/^\d+$/);
	await expect(page.getByRole('heading', { name: 'Thông báo gửi không thành công' })).toBeVisible();
	await expect(page.getByText('Không có thông báo nào gửi không thành công.')).toBeVisible();
	await expectNoAxeViolations(page);

	// a malformed page number falls back to the first page, never an error
	expect((await page.goto('/admin/notifications?page=-3x'))?.status()).toBe(200);

	// in English too, as the language switch asks for it
	await page
		.context()
		.addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'en', url: new URL(page.url()).origin }]);
	await page.goto('/admin/notifications');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Outgoing notifications');
	await expect(page.getByText('No notification has failed.')).toBeVisible();

	// an official and a moderator are refused; a visitor is sent to sign in
	for (const who of [DEMO.official, DEMO.moderator, DEMO.analyst]) {
		const context = await browser.newContext();
		const other = await context.newPage();
		await signIn(other, who);
		expect((await other.goto('/admin/notifications'))?.status(), who).toBe(403);
		await other.goto('/staff');
		const menu = other.getByRole('navigation', { name: 'Chức năng dành cho cán bộ' });
		await expect(menu.getByRole('link').first()).toBeVisible();
		await expect(menu).not.toContainText('Thông báo gửi đi');
		await context.close();
	}
	const context = await browser.newContext();
	const visitor = await context.newPage();
	await visitor.goto('/admin/notifications');
	await expect(visitor).toHaveURL(/\/sign-in/);
	await context.close();
});

test('the development mailbox does not exist in a build', async ({ page }) => {
	expect((await page.goto('/dev/mail'))?.status()).toBe(404);
	expect((await page.goto('/dev/mail?id=x.eml'))?.status()).toBe(404);
});
