import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { DEMO, expectNoAxeViolations, signIn, unique } from './helpers';

test('staff edit a draft question by question, publish it, and the next edit makes a new version', async ({
	page
}) => {
	test.setTimeout(180_000);
	// an instrument of this test's own, so other tests' instruments stay as they are
	const stamp = unique();
	const spec = JSON.parse(await readFile('seeds/instruments/sipas.json', 'utf8'));
	spec.slug = `sua-phieu-${stamp}`;
	spec.title.vi = `Phiếu thử sửa câu hỏi ${stamp}`;
	// the province's analyst: changing a questionnaire needs scope over the whole province
	await signIn(page, DEMO.analyst);
	await page.goto('/fieldwork');
	await page.getByLabel('Tệp JSON').setInputFiles({
		name: 'phieu.json',
		mimeType: 'application/json',
		buffer: Buffer.from(JSON.stringify(spec))
	});
	await page.getByRole('button', { name: 'Nhập', exact: true }).click();
	await page.getByRole('link', { name: spec.title.vi }).click();
	await expect(page.getByRole('heading', { level: 2, name: /phiên bản 1/ })).toBeVisible();
	await expectNoAxeViolations(page);

	// add a number question to the first part; a bad code is refused and kept
	await page.getByLabel('Thêm vào phần').selectOption('service_info');
	await page.getByLabel(/Mã câu hỏi mới/).fill('Thời gian');
	await page.getByLabel('Loại câu hỏi').selectOption('number');
	await page.getByRole('button', { name: 'Thêm câu hỏi' }).click();
	// beside the field (the summary at the top links to it with the same words)
	await expect(page.locator('#field-code-error')).toContainText('Mã chỉ gồm chữ thường không dấu');
	await expect(page.getByLabel(/Mã câu hỏi mới/)).toHaveValue('Thời gian');
	await page.getByLabel(/Mã câu hỏi mới/).fill('waiting_minutes');
	await page.getByRole('button', { name: 'Thêm câu hỏi' }).click();
	await expect(page.getByRole('status')).toContainText('Đã thêm câu hỏi waiting_minutes');
	const rows = page.locator('section', { has: page.locator('#s-service') }).locator('tbody tr');
	await expect(rows.last()).toContainText('waiting_minutes');

	// move it up one place
	await page.getByRole('button', { name: 'Lên waiting_minutes' }).click();
	await expect(rows.nth(2)).toContainText('waiting_minutes');
	await expect(rows.nth(3)).toContainText('service_place');

	// word it: an empty field is refused at the field and the rest stays as typed
	await page.getByRole('link', { name: 'Sửa waiting_minutes' }).click();
	await expectNoAxeViolations(page);
	await page.getByLabel('Nội dung câu hỏi (tiếng Việt)').fill('Ông/bà đã chờ bao nhiêu phút?');
	await page.getByLabel('Nội dung câu hỏi (tiếng Anh)').fill('');
	await page.getByLabel('Giá trị lớn nhất').fill('240');
	await page.getByRole('button', { name: 'Lưu câu hỏi' }).click();
	await expect(page.locator('#text_en-error')).toHaveText('Không được để trống.');
	await expect(page.getByLabel('Nội dung câu hỏi (tiếng Việt)')).toHaveValue(
		'Ông/bà đã chờ bao nhiêu phút?'
	);
	await expect(page.getByLabel('Giá trị lớn nhất')).toHaveValue('240');
	await page.getByLabel('Nội dung câu hỏi (tiếng Anh)').fill('How many minutes did you wait?');
	await page.getByLabel('Đơn vị (tiếng Việt, không bắt buộc)').fill('phút');
	await page.getByLabel('Đơn vị (tiếng Anh, không bắt buộc)').fill('minutes');
	await page.getByRole('button', { name: 'Lưu câu hỏi' }).click();
	await expect(page.getByRole('status')).toHaveText('Đã lưu vào bản nháp phiên bản 1.');

	// change a score, relabel an option and add one on a five-point question
	await page.goto(page.url().replace('waiting_minutes', 'access_signage_sat'));
	await page.getByLabel('Phương án 1: Điểm').fill('0');
	await page.getByLabel('Phương án 3: Nhãn (tiếng Việt)').fill('Bình thường, không ý kiến');
	await page.getByLabel('Phương án 6: Mã').fill('na');
	await page.getByLabel('Phương án 6: Nhãn (tiếng Việt)').fill('Không áp dụng');
	await page.getByLabel('Phương án 6: Nhãn (tiếng Anh)').fill('Not applicable');
	await page.getByLabel('Phương án 6: Loại').selectOption('refuse');
	await page.getByRole('button', { name: 'Lưu câu hỏi' }).click();
	await expect(page.getByRole('status')).toHaveText('Đã lưu vào bản nháp phiên bản 1.');
	await expect(page.getByLabel('Phương án 1: Điểm')).toHaveValue('0');

	// the preview shows the edits as a citizen would see them
	await page.getByRole('link', { name: /Về nội dung bộ phiếu/ }).click();
	await page.getByRole('link', { name: 'Xem trước như người dân' }).first().click();
	await expect(page.getByText('Ông/bà đã chờ bao nhiêu phút?')).toBeVisible();
	await expect(page.getByText('Bình thường, không ý kiến')).toBeVisible();
	await page.goBack();

	// publish; the next edit (removing the added question) makes version 2 and leaves 1 alone
	await page.getByRole('button', { name: 'Ban hành phiên bản này' }).click();
	await expect(page.getByText('Phiên bản 1 — Đã ban hành')).toBeVisible();
	await page.getByRole('button', { name: 'Xóa waiting_minutes' }).click();
	await expect(page.getByRole('status')).toHaveText('Đã lưu vào bản nháp phiên bản 2.');
	await expect(page.getByText('Phiên bản 2 — Bản nháp')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Xóa waiting_minutes' })).toHaveCount(0);
	const [first] = await Promise.all([
		page.waitForEvent('download'),
		page.locator('a[href$="export?version=1"]').click()
	]);
	expect(await readFile((await first.path())!, 'utf8')).toContain('waiting_minutes');
});
