import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { ANSWER_TIMEOUT, DEMO, expectNoAxeViolations, signIn, unique } from './helpers';
import { answerAll, completePaged, receipt, startPaged } from './survey-helpers';

test('an analyst creates an invitation wave in scope, opens it, and a generated code admits one respondent', async ({
	page,
	browser
}) => {
	test.setTimeout(120_000);
	const slug = `mau-vi-xuyen-${unique()}`;
	await signIn(page, DEMO.analyst);
	await page.goto('/fieldwork/waves/new');
	await expectNoAxeViolations(page);
	await page.getByLabel(/Mã đợt/).fill(slug);
	await page.getByLabel('Tên đợt (tiếng Việt)').fill('Khảo sát mẫu xã Vị Xuyên');
	await page.getByLabel('Tên đợt (tiếng Anh)').fill('Vị Xuyên sample survey');
	// the SIPAS-style questionnaire, the second of the seeded ones
	await page.getByLabel(/Bộ phiếu/).selectOption({ index: 1 });
	await page.getByLabel('Cách tham gia').selectOption('invitation');
	// the picker offers the served units only; a unit outside the analyst's province sent anyway
	// (a form posted by hand) is refused, and the form keeps what was typed
	await page.getByLabel('Đơn vị hành chính thuộc phạm vi').evaluate((select: HTMLSelectElement) => {
		select.add(new Option('Hà Nội', '01'));
		select.value = '01';
	});
	await page.getByRole('button', { name: 'Tạo đợt khảo sát' }).click();
	await expect(page.locator('.error-summary')).toContainText(
		'Đơn vị nằm ngoài phạm vi được giao cho bạn: 01.'
	);
	await expect(page.getByLabel(/Mã đợt/)).toHaveValue(slug);
	await page.getByLabel('Đơn vị hành chính thuộc phạm vi').selectOption('00913');
	await page.getByRole('button', { name: 'Tạo đợt khảo sát' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Khảo sát mẫu xã Vị Xuyên');

	// a draft wave is not public
	const hidden = await page.request.get(`/surveys/${slug}`);
	expect(hidden.status()).toBe(404);
	await page.getByRole('button', { name: 'Mở đợt khảo sát' }).click();
	await expect(page.getByText('Đang mở')).toBeVisible();

	await page.getByLabel(/Số mã cần tạo/).fill('3');
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: 'Tạo và tải về danh sách mã (CSV)' }).click()
	]);
	const csv = await readFile((await download.path())!, 'utf8');
	const lines = csv.trim().split('\r\n');
	expect(lines[0]).toBe('code,url');
	expect(lines).toHaveLength(4);
	const code = lines[1]!.split(',')[0]!;
	expect(lines[1]).toContain(`/surveys/${slug}?code=${code}`);

	const citizen = await (await browser.newContext()).newPage();
	await startPaged(citizen, slug, code);
	expect(await completePaged(citizen)).toMatch(/^[0-9A-Z]{4}-/);
	await page.reload();
	await expect(page.getByText('Đã dùng 1/3 mã')).toBeVisible();
});

test('an instrument exported as JSON imports back as a new draft version with the same content', async ({
	page
}) => {
	// the province's analyst: importing a questionnaire needs scope over the whole province
	await signIn(page, DEMO.analyst);
	await page.goto('/fieldwork');
	await page
		.getByRole('region', { name: 'Bộ phiếu khảo sát' })
		.getByRole('link', { name: /^Khảo sát sự hài lòng/ })
		.click();
	await expectNoAxeViolations(page);
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Tải về JSON' }).first().click()
	]);
	const original = await readFile((await download.path())!, 'utf8');

	await page.goto('/fieldwork');
	await page.getByLabel('Tệp JSON').setInputFiles({
		name: 'sipas.json',
		mimeType: 'application/json',
		buffer: Buffer.from(original)
	});
	await page.getByRole('button', { name: 'Nhập', exact: true }).click();
	await expect(page.getByRole('status')).toHaveText(/Đã nhập thành bản nháp phiên bản \d+\./);
	const version = (await page.getByRole('status').textContent())!.match(/phiên bản (\d+)/)![1];

	await page
		.getByRole('region', { name: 'Bộ phiếu khảo sát' })
		.getByRole('link', { name: /^Khảo sát sự hài lòng/ })
		.click();
	const [again] = await Promise.all([
		page.waitForEvent('download'),
		page.locator(`a[href$="export?version=${version}"]`).click()
	]);
	expect(await readFile((await again.path())!, 'utf8')).toBe(original);

	// the preview shows the draft exactly as a citizen would see it
	await page.locator(`a[href$="preview?version=${version}"]`).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Xem trước');
	await expect(page.locator('[data-question="overall_satisfaction"]')).toBeVisible();

	// a broken file is refused with the path of each problem
	await page.goto('/fieldwork');
	await page.getByLabel('Tệp JSON').setInputFiles({
		name: 'bad.json',
		mimeType: 'application/json',
		buffer: Buffer.from('{"slug":"x"}')
	});
	await page.getByRole('button', { name: 'Nhập', exact: true }).click();
	await expect(page.getByRole('alert')).toContainText('Nội dung JSON không hợp lệ');
	await expect(page.getByRole('alert')).toContainText('title');
});

test('a field interviewer enters a response for a respondent; the wave counts it as interviewer-entered', async ({
	page,
	browser
}) => {
	await signIn(page, DEMO.interviewer);
	await page.goto('/surveys/sipas-mot-cua-vi-xuyen-2026');
	await page.getByLabel('Tôi đã đọc thông tin trên và đồng ý tham gia khảo sát.').check();
	await page.getByLabel('Tôi là điều tra viên, nhập phiếu thay người được phỏng vấn').check();
	await answerAll(page);
	await page.getByRole('button', { name: 'Gửi phiếu khảo sát' }).click();
	await receipt(page);

	const analyst = await (await browser.newContext()).newPage();
	await signIn(analyst, DEMO.analyst);
	await analyst.goto('/fieldwork');
	await analyst.getByRole('link', { name: /Đánh giá sự hài lòng tại Bộ phận/ }).click();
	await expect(analyst.getByText('trong đó 1 phiếu do điều tra viên nhập')).toBeVisible();
});

test('a citizen without the interviewer role is not offered interviewer mode', async ({ page }) => {
	await page.goto('/surveys/sipas-mot-cua-vi-xuyen-2026');
	await expect(page.getByLabel(/Tôi là điều tra viên/)).toHaveCount(0);
});

test('an analyst sets design weights for a closed wave, a commune a row; a wrong weight is explained and kept', async ({
	page
}) => {
	await signIn(page, DEMO.analyst);
	await page.goto('/fieldwork');
	await page.getByRole('link', { name: 'Khảo sát PAPI tỉnh Tuyên Quang, đợt năm 2025' }).click();
	const table = page.locator('form[action="?/weights"]');
	await expect(table.locator('input[name^="weight_"]').first()).toBeVisible();
	const saved = await table
		.locator('input[name^="weight_"]')
		.evaluateAll((inputs) =>
			(inputs as HTMLInputElement[]).filter((i) => i.value !== '').map((i) => i.name)
		);
	expect(saved).toHaveLength(8);
	const [first, ...others] = saved;
	const weight = table.locator(`input[name="${first}"]`);
	await weight.fill('1,2,5');
	await page.getByRole('button', { name: 'Lưu trọng số và tính lại kết quả' }).click();
	await expect(page.getByRole('alert')).toContainText('cần một số lớn hơn 0, ví dụ 1,25 hoặc 1.25');
	await expect(weight).toHaveValue('1,2,5');
	await expect(weight).toHaveAttribute('aria-invalid', 'true');
	await expectNoAxeViolations(page);
	// a decimal comma is read as one, and a commune left empty has no weight of its own
	await weight.fill('1,5');
	for (const name of others) await table.locator(`input[name="${name}"]`).fill('');
	await page.getByRole('button', { name: 'Lưu trọng số và tính lại kết quả' }).click();
	// saving rebuilds the wave's results from its responses: allow the time a busy server takes
	await expect(page.getByRole('status')).toHaveText(
		'Đã lưu trọng số cho 1 xã, phường và tính lại kết quả.',
		{ timeout: ANSWER_TIMEOUT }
	);
	await expect(weight).toHaveValue('1.5');
});

test('an analyst sees the demo wave raked to illustrative margins, and a wrong margin line is explained and kept', async ({
	page
}) => {
	await signIn(page, DEMO.analyst);
	await page.goto('/fieldwork');
	await page.getByRole('link', { name: 'Khảo sát PAPI tỉnh Tuyên Quang, đợt 1 năm 2026' }).click();
	const section = page.getByRole('region', { name: 'Hiệu chỉnh trọng số theo cơ cấu dân số' });
	await expect(section.getByText('Nguồn: Số liệu minh họa')).toBeVisible();
	await expect(
		section.getByText('(Số liệu minh họa, không phải số liệu thống kê chính thức)')
	).toBeVisible();
	await expect(section.getByText(/Hiệu chỉnh lúc .*, trên 400 phiếu\./)).toBeVisible();
	await expect(section.getByText(/^Có, sau \d+ vòng lặp$/)).toBeVisible();
	await expect(
		section.getByText(/với trọng số thiết kế, .* sau hiệu chỉnh: giảm .*%/)
	).toBeVisible();
	await expect(section.getByRole('cell', { name: 'gender*age_band' })).toBeVisible();

	const margins = section.getByLabel('Cơ cấu dân số (biến, nhóm, số dân)');
	const saved = await margins.inputValue();
	expect(saved.split('\n')).toHaveLength(20);
	await margins.fill(`${saved}\nethnicity, kinh, 5\nethnicty, tay, 5`);
	await section
		.getByRole('button', { name: 'Lưu, hiệu chỉnh trọng số và tính lại kết quả' })
		.click();
	const alert = page.getByRole('alert');
	await expect(alert).toContainText('Dòng 21: nhóm này của biến đã có ở dòng trước');
	await expect(alert).toContainText('Dòng 22: không phải biến dùng được của đợt khảo sát');
	await expect(margins).toHaveValue(`${saved}\nethnicity, kinh, 5\nethnicty, tay, 5`);
	await expect(section.getByLabel('Nguồn số liệu')).toHaveValue('Số liệu minh họa');
	await expect(section.getByLabel(/Số liệu minh họa, không phải/)).toBeChecked();
	await expectNoAxeViolations(page);

	// the same margins again: the same weights, raked over the wave's responses
	await margins.fill(saved);
	await section
		.getByRole('button', { name: 'Lưu, hiệu chỉnh trọng số và tính lại kết quả' })
		.click();
	await expect(
		page.getByText('Đã hiệu chỉnh trọng số của 400 phiếu và tính lại kết quả.')
	).toBeVisible();
	await expect(margins).toHaveValue(saved);
});
