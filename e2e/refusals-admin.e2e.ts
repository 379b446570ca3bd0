import { DEMO, signIn } from './helpers';
import { expectRefusal, withAndWithoutScript } from './refusal-helpers';

// The administration and reference forms refused at phone width, with and without JavaScript:
// the summary takes focus, names each field and leads to it, and what was typed stays.

withAndWithoutScript('/admin refuses an account whose e-mail is taken', async (page) => {
	await signIn(page, DEMO.admin);
	await page.goto('/admin');
	const create = page.locator('form[action="?/create"]');
	await create.locator('#field-email').fill(DEMO.official);
	await create.locator('#field-displayName').fill('Nguyễn Thị Thử');
	await create.locator('#field-password').fill('a-good-initial-password');
	await create.getByRole('button', { name: 'Tạo tài khoản' }).click();
	await expectRefusal(page, {
		says: 'Đã có tài khoản dùng địa chỉ thư điện tử này.',
		linked: ['email'],
		kept: { email: DEMO.official, displayName: 'Nguyễn Thị Thử' }
	});
});

withAndWithoutScript(
	'/admin/disclosure-types refuses a bad code and a missing schedule',
	async (page) => {
		await signIn(page, DEMO.admin);
		await page.goto('/admin/disclosure-types');
		// every required field is filled (no browser check stops the post): the server refuses
		await page.locator('#field-code').fill('Mã Sai');
		await page.locator('#field-nameVi').fill('Kế hoạch đầu tư công hằng quý');
		await page.locator('#field-nameEn').fill('Quarterly public investment plan');
		await page.locator('#field-basisVi').fill('Luật Đầu tư công 2024');
		await page.locator('#field-basisEn').fill('Public Investment Law 2024');
		await page.locator('#field-frequency').selectOption('quarterly');
		await page.getByRole('button', { name: 'Thêm loại thông tin' }).click();
		await expectRefusal(page, {
			says: /Mã: Mã chỉ gồm/,
			linked: ['code', 'dueDays'],
			kept: { code: 'Mã Sai', nameVi: 'Kế hoạch đầu tư công hằng quý', frequency: 'quarterly' }
		});
	}
);

withAndWithoutScript('/analytics/reference refuses a value outside the scale', async (page) => {
	await signIn(page, DEMO.analyst);
	await page.goto('/analytics/reference');
	const form = page.locator('form[action="?/official"]');
	await form.locator('#field-measureRef').selectOption({ label: 'Chỉ số tổng hợp (0–80)' });
	await form.locator('#field-year').fill('2025');
	await form.locator('#field-value').fill('95');
	await form.locator('#field-source').fill('Báo cáo PAPI 2025');
	await form.getByRole('button', { name: 'Lưu' }).click();
	await expectRefusal(page, {
		says: 'Giá trị phải từ 0 đến 80.',
		linked: ['value'],
		kept: { year: '2025', value: '95', source: 'Báo cáo PAPI 2025' }
	});
});
