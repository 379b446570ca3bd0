import { expect, test } from '@playwright/test';
import { DEMO, expectNoAxeViolations, failSignIn, signIn, signOut, unique } from './helpers';

test('an admin creates an official, grants and revokes roles, disables the account; all audited', async ({
	page
}) => {
	const email = `new.official.${unique()}@demo.civicvoice.vn`;
	await signIn(page, DEMO.admin);
	await page.goto('/admin');
	await expectNoAxeViolations(page);

	// a bad form keeps what was typed and says what is wrong
	const create = page.locator('form[action="?/create"]');
	await create.getByLabel('Địa chỉ thư điện tử').fill('not-an-email');
	await create.getByLabel('Họ và tên').fill('Phạm Văn Em');
	await create.getByLabel(/Mật khẩu ban đầu/).fill('short');
	await create.getByRole('button', { name: 'Tạo tài khoản' }).click();
	await expect(create.getByText('Địa chỉ thư điện tử không hợp lệ.')).toBeVisible();
	await expect(create.getByText('Mật khẩu cần ít nhất 10 ký tự.')).toBeVisible();
	await expect(create.getByLabel('Họ và tên')).toHaveValue('Phạm Văn Em');

	await create.getByLabel('Địa chỉ thư điện tử').fill(email);
	await create.getByLabel(/Mật khẩu ban đầu/).fill('a-good-initial-password');
	await create.getByRole('button', { name: 'Tạo tài khoản' }).click();
	await expect(page.getByRole('status')).toContainText(`Đã tạo tài khoản ${email}.`);

	const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: email }) });
	await row.locator('summary', { hasText: 'Giao vai trò' }).click();
	await row.getByLabel('Vai trò').selectOption('official');
	await row.getByRole('button', { name: `Giao vai trò cho ${email}` }).click();
	await expect(
		row.getByText('Vui lòng chọn cơ quan cho vai trò cán bộ hoặc lãnh đạo duyệt.')
	).toBeVisible();
	await row.getByLabel(/Cơ quan/).selectOption({ label: 'Sở Tài chính tỉnh Tuyên Quang' });
	await row.getByRole('button', { name: `Giao vai trò cho ${email}` }).click();
	await expect(page.getByRole('status')).toContainText(
		`Đã giao vai trò Cán bộ, công chức cho ${email}`
	);
	await expect(row.getByRole('cell').first()).toContainText(
		'Cán bộ, công chức: Sở Tài chính tỉnh Tuyên Quang'
	);

	await signOut(page);
	await signIn(page, email, 'a-good-initial-password');
	await page.goto('/officials');
	await expect(page.getByRole('main')).toContainText('Sở Tài chính tỉnh Tuyên Quang');
	await signOut(page);

	await signIn(page, DEMO.admin);
	await page.goto('/admin');
	await row.getByRole('button', { name: 'Khóa tài khoản' }).click();
	await expect(page.getByRole('status')).toContainText(`Đã khóa tài khoản ${email}`);
	await expect(row.getByRole('cell', { name: 'Đã khóa' })).toBeVisible();
	// the log has its own page, each action named in words with its code beside
	await page.goto('/admin/audit');
	const audit = page.getByRole('region', { name: 'Nhật ký thao tác' });
	for (const action of ['user.create', 'role.grant', 'user.disable']) {
		await expect(audit.getByText(action).first()).toBeVisible();
	}
	await signOut(page);

	await failSignIn(page, email, 'a-good-initial-password');
	await expect(page.getByRole('alert')).toHaveText('Thư điện tử hoặc mật khẩu không đúng.');
});

test('an admin keeps the working-day calendar; nobody else may', async ({ page, browser }) => {
	await signIn(page, DEMO.admin);
	await page.goto('/admin');
	await page.getByRole('link', { name: /Lịch ngày làm việc/ }).click();
	await expect(page.getByRole('row', { name: /16\/02\/2026/ })).toContainText('Tết Nguyên đán');
	await expectNoAxeViolations(page);

	// the day next to National Day, once the Government announces it
	await page.locator('#field-day').fill('2026-09-01');
	await page.getByLabel('Lý do (tiếng Việt)').fill('Nghỉ lễ Quốc khánh (ngày liền kề)');
	await page.getByRole('button', { name: 'Lưu' }).click();
	await expect(page.getByRole('status')).toContainText(
		'Đã ghi ngày 01/09/2026 là ngày nghỉ (Nghỉ lễ Quốc khánh (ngày liền kề))'
	);
	await expect(page.getByRole('row', { name: /01\/09\/2026/ })).toContainText('Nghỉ');
	await page
		.getByRole('row', { name: /01\/09\/2026/ })
		.getByRole('button', { name: 'Bỏ ghi' })
		.click();
	await expect(page.getByRole('status')).toContainText('Đã bỏ ghi ngày 01/09/2026');
	await expect(page.getByRole('row', { name: /01\/09\/2026/ })).toHaveCount(0);

	// a date that does not exist is refused with a clear message
	const response = await page.request.post('/admin/calendar?/mark', {
		form: { day: '2026-02-30', working: 'off', reasonVi: 'Thử' },
		headers: { origin: new URL(page.url()).origin, accept: 'application/json' }
	});
	expect(await response.text()).toContain('Nhập một ngày có thật');

	const analyst = await (await browser.newContext()).newPage();
	await signIn(analyst, DEMO.analyst);
	expect((await analyst.goto('/admin/calendar'))?.status()).toBe(403);
});
