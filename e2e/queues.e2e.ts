import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { DEMO, expectNoAxeViolations, QA_STAFF, signIn } from './helpers';

/**
 * The long lists: search, filters, sort and pages on the moderation queue, the disclosure lists,
 * the compliance view, the audit log and the accounts. Counts are read from the page (the other
 * worker adds items to the same server), so each check is relative to what the list says.
 */

async function staff(browser: Browser, email: string, width = 1280) {
	const context = await browser.newContext({ viewport: { width, height: 900 } });
	const page = await context.newPage();
	await signIn(page, email);
	return page;
}

/** The "N kết quả." line above a list, as a number. */
async function resultCount(page: Page): Promise<number> {
	const text = await page.getByText(/^\d+ (kết quả|mục)\.$/).textContent();
	return Number(/^(\d+)/.exec(text ?? '')![1]);
}

/** Opens the filters (closed when none is set), sets them, and sends the form. */
async function filter(page: Page, set: (form: Locator) => Promise<unknown>) {
	const form = page.getByRole('search');
	const details = form.locator('details');
	if (!(await details.evaluate((d: HTMLDetailsElement) => d.open)))
		await form.getByText('Bộ lọc', { exact: true }).click();
	await set(form);
	const before = page.url();
	await form.getByRole('button', { name: 'Tìm kiếm' }).click();
	await page.waitForURL((url) => url.href !== before);
	await page.waitForLoadState('networkidle');
}

/** The texts of one column of the table's body rows. */
const column = (page: Page, n: number) =>
	page.locator(`table tbody tr > :nth-child(${n})`).allTextContents();

test('the moderation queue searches by code, filters by topic and overdue, sorts, and never fails on a bad address', async ({
	browser
}) => {
	const moderator = await staff(browser, DEMO.moderator);
	await moderator.goto('/officials/questions?view=open');
	const all = await resultCount(moderator);
	expect(all).toBeGreaterThan(1);
	// the filters stay closed until one is set; the search box is always there
	await expect(moderator.getByRole('search').locator('details')).not.toHaveAttribute('open');
	await expectNoAxeViolations(moderator);

	// a case's code finds exactly that case
	const code = (await moderator.locator('table tbody tr td:first-child a').first().textContent())!;
	await moderator
		.getByRole('search')
		.getByLabel(/Từ khóa/)
		.fill(code.trim());
	await moderator.getByRole('search').getByRole('button', { name: 'Tìm kiếm' }).click();
	await expect(moderator).toHaveURL(/q=HD-/);
	await expect(moderator.locator('table tbody tr')).toHaveCount(1);
	await expect(moderator.getByRole('link', { name: code.trim() })).toBeVisible();

	// a topic: every row is of that topic, and fewer or as many as before
	await moderator.goto('/officials/questions?view=open');
	const topic = (await column(moderator, 4))[0]!.trim();
	await filter(moderator, (form) => form.getByLabel('Lĩnh vực').selectOption({ label: topic }));
	await expect(moderator).toHaveURL(/topic=/);
	await expect(moderator.getByRole('search').locator('details')).toHaveAttribute('open', '');
	expect(new Set((await column(moderator, 4)).map((t) => t.trim()))).toEqual(new Set([topic]));
	expect(await resultCount(moderator)).toBeLessThanOrEqual(all);

	// overdue only: every row says it is overdue
	await moderator.goto('/officials/questions?view=open&overdue=1');
	const overdue = await resultCount(moderator);
	expect(overdue).toBeLessThanOrEqual(all);
	if (overdue > 0) {
		for (const due of await column(moderator, 8)) expect(due).toContain('Quá hạn');
	}

	// newest first is oldest first turned around (on one page)
	if (all <= 25) {
		await moderator.goto('/officials/questions?view=open');
		const oldest = await column(moderator, 1);
		await moderator.goto('/officials/questions?view=open&sort=newest');
		expect(await column(moderator, 1)).toEqual([...oldest].reverse());
	}

	// nonsense in the address falls back to the defaults
	const odd = await moderator.goto(
		'/officials/questions?view=nope&page=-3&unit=abc&agency=1e99&topic=%3Cx%3E&sort=zzz&overdue='
	);
	expect(odd?.status()).toBe(200);
	await expect(moderator.getByRole('heading', { level: 1 })).toHaveText('Hỏi đáp: việc cần xử lý');
});

test("an official's disclosures filter by status, type and words", async ({ browser }) => {
	const official = await staff(browser, QA_STAFF.communeOfficial);
	await official.goto('/officials/disclosures');
	const all = await resultCount(official);
	expect(all).toBeGreaterThan(0);

	await filter(official, (form) =>
		form.getByLabel('Trạng thái').selectOption({ label: 'Đã công khai' })
	);
	const published = await resultCount(official);
	expect(published).toBeGreaterThan(0);
	for (const s of await column(official, 5)) expect(s).toContain('Đã công khai');

	const type = (await column(official, 2))[0]!.trim();
	await filter(official, (form) => form.getByLabel('Loại thông tin').selectOption({ label: type }));
	expect(new Set((await column(official, 2)).map((t) => t.trim()))).toEqual(new Set([type]));

	const title = (await column(official, 1))[0]!.trim();
	await official.goto(`/officials/disclosures?q=${encodeURIComponent(title)}`);
	await expect(official.getByRole('link', { name: title })).toBeVisible();
	await official.goto('/officials/disclosures?q=khong+co+thong+tin+nao+nhu+the+nay+xyz');
	await expect(official.getByText('Không có mục nào phù hợp với bộ lọc.')).toBeVisible();
	await expectNoAxeViolations(official);
});

test('the compliance view puts the own commune first, says how late, filters and pages', async ({
	browser,
	page
}) => {
	const official = await staff(browser, QA_STAFF.communeOfficial);
	await official.goto('/officials/disclosures/compliance');
	// the deadline of a disclosure, not the Q&A one
	await expect(official.getByRole('columnheader', { name: 'Hạn công khai' })).toBeVisible();
	await expect(official.getByRole('columnheader', { name: 'Hạn trả lời' })).toHaveCount(0);
	const first = official.locator('table tbody tr').first().getByRole('rowheader');
	await expect(first).toContainText('Xã Vị Xuyên');
	await expect(first).toContainText('Địa bàn của bạn');

	// 1,118 obligations do not come on one page
	const total = await resultCount(official);
	const pages = Math.ceil(total / 25);
	expect(pages).toBeGreaterThan(1);
	await expect(official.locator('table tbody tr')).toHaveCount(25);
	const pager = official.getByRole('navigation', { name: 'Trang kết quả' });
	await expect(pager).toContainText(`Trang 1/${pages}`);
	await pager.getByRole('link', { name: 'Trang sau' }).click();
	await expect(pager).toContainText(`Trang 2/${pages}`);

	// the demo commune published its 2026 items after they were due
	await official.goto('/officials/disclosures/compliance?state=late');
	await expect(
		official.getByRole('link', { name: /^Công khai muộn \d+ ngày$/ }).first()
	).toBeVisible();

	// an area and a type narrow the list to them
	await official.goto('/officials/disclosures/compliance');
	await filter(official, async (form) => {
		await form.getByLabel('Địa bàn').selectOption({ label: 'Xã Vị Xuyên' });
		await form.getByLabel('Loại thông tin').selectOption({ index: 1 });
	});
	const type = await official
		.getByRole('search')
		.getByLabel('Loại thông tin')
		.locator('option:checked')
		.textContent();
	const rows = official.locator('table tbody tr');
	expect(await rows.count()).toBeGreaterThan(0);
	for (const unit of await rows.getByRole('rowheader').allTextContents())
		expect(unit).toContain('Xã Vị Xuyên');
	expect(new Set((await column(official, 2)).map((t) => t.trim()))).toEqual(new Set([type]));
	expect(await resultCount(official)).toBeLessThan(total);
	await expectNoAxeViolations(official);

	// the public summary: a type narrows the table by type to one row; the units come in pages
	await page.goto('/disclosures/compliance');
	await expect(page.getByRole('columnheader', { name: 'Công khai muộn' }).first()).toBeVisible();
	const byUnit = page.getByRole('table', { name: 'Theo địa bàn' });
	await expect(byUnit.locator('tbody tr')).toHaveCount(25);
	await expect(page.getByRole('navigation', { name: 'Trang kết quả' })).toContainText('Trang 1/');
	await expectNoAxeViolations(page);
	await filter(page, (form) => form.getByLabel('Loại thông tin').selectOption({ index: 1 }));
	await expect(
		page.getByRole('table', { name: 'Theo loại thông tin' }).locator('tbody tr')
	).toHaveCount(1);
	await filter(page, (form) => form.getByLabel('Địa bàn').selectOption({ label: 'Xã Vị Xuyên' }));
	await expect(byUnit.locator('tbody tr')).toHaveCount(1);
	await expect(byUnit.getByRole('rowheader')).toHaveText('Xã Vị Xuyên');
});

test('the audit log reads in words, filters by action, actor and dates, and pages', async ({
	browser
}) => {
	const admin = await staff(browser, DEMO.admin);
	await admin.goto('/admin');
	await admin.getByRole('link', { name: 'Nhật ký thao tác' }).click();
	await expect(admin).toHaveURL(/\/admin\/audit$/);
	const all = await resultCount(admin);
	expect(all).toBeGreaterThan(0);

	// the admin's own sign-in, by name, with the e-mail and no id
	await filter(admin, async (form) => {
		await form.getByLabel('Thao tác').selectOption({ label: 'Đăng nhập' });
		await form.getByLabel('Người thực hiện').fill('admin@demo');
	});
	const signIns = await resultCount(admin);
	expect(signIns).toBeGreaterThan(0);
	expect(signIns).toBeLessThanOrEqual(all);
	for (const what of await column(admin, 3)) expect(what).toContain('Đăng nhập');
	for (const who of await column(admin, 2)) expect(who).toContain('admin@demo.civicvoice.vn');
	await expect(admin.locator('table')).not.toContainText(/[0-9a-f]{8}-[0-9a-f]{4}-/);
	await expectNoAxeViolations(admin);

	// a date range in the future holds nothing; today holds the sign-in
	await admin.goto('/admin/audit?action=auth.sign_in&from=2099-01-01');
	await expect(admin.getByText('Không có mục nào phù hợp với bộ lọc.')).toBeVisible();
	const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
	await admin.goto(`/admin/audit?action=auth.sign_in&from=${today}&to=${today}`);
	expect(await resultCount(admin)).toBeGreaterThan(0);

	if (all > 25) {
		await admin.goto('/admin/audit');
		await admin.getByRole('link', { name: 'Trang sau' }).click();
		await expect(admin.getByRole('navigation', { name: 'Trang kết quả' })).toContainText(
			'Trang 2/'
		);
	}
	const odd = await admin.goto('/admin/audit?from=2026-13-45&to=x&action=%00&page=zz');
	expect(odd?.status()).toBe(200);
});

test('the account list searches by e-mail and filters by role', async ({ browser }) => {
	const admin = await staff(browser, DEMO.admin);
	await admin.goto('/admin');
	const all = await resultCount(admin);
	expect(all).toBeGreaterThan(3);
	await admin
		.getByRole('search')
		.getByLabel(/Từ khóa/)
		.fill('kiemduyet@');
	await admin.getByRole('search').getByRole('button', { name: 'Tìm kiếm' }).click();
	await expect(admin.getByRole('rowheader')).toHaveCount(1);
	await expect(admin.getByRole('rowheader')).toContainText(DEMO.moderator);

	await admin.goto('/admin');
	await filter(admin, (form) =>
		form.getByLabel('Vai trò').selectOption({ label: 'Người phân tích' })
	);
	const analysts = await resultCount(admin);
	expect(analysts).toBeGreaterThan(0);
	expect(analysts).toBeLessThan(all);
	for (const roles of await column(admin, 2)) expect(roles).toContain('Người phân tích');
	await expectNoAxeViolations(admin);
});

test('on a phone the list starts near the top: the filters fold away until one is set', async ({
	browser
}) => {
	const moderator = await staff(browser, DEMO.moderator, 360);
	await moderator.goto('/officials/questions?view=open');
	const form = moderator.getByRole('search');
	await expect(form.getByLabel('Lĩnh vực')).toBeHidden();
	await expect(form.getByLabel(/Từ khóa/)).toBeVisible();
	// the first case shows on the first screen, below the search box
	const listTop = await moderator
		.locator('table tbody tr')
		.first()
		.evaluate((row) => row.getBoundingClientRect().top);
	expect(listTop).toBeLessThan(900);
	await moderator.goto('/officials/questions?view=open&topic=dat-dai');
	await expect(form.getByLabel('Lĩnh vực')).toBeVisible();
	await expect(form.getByLabel('Lĩnh vực')).toHaveValue('dat-dai');
});
