import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import { DEMO, expectNoAxeViolations, signIn } from './helpers';

const SIPAS = 'sipas-mot-cua-vi-xuyen-2026';

test('an analyst sees live results within seconds, with intervals, read from the aggregated sums', async ({
	page,
	request,
	baseURL
}) => {
	test.setTimeout(180_000);
	// twelve respondents at the one-stop shop, each answering the first option of every question
	for (let i = 0; i < 12; i++) {
		const html = await (await request.get(`/surveys/${SIPAS}`)).text();
		const form = new URLSearchParams({ consent: 'yes' });
		form.set('submit_key', html.match(/name="submit_key" value="([^"]+)"/)![1]!);
		for (const m of html.matchAll(/<input type="(radio|checkbox)" name="([^"]+)" value="([^"]+)"/g))
			if (!form.has(m[2]!)) form.set(m[2]!, m[3]!);
		for (const m of html.matchAll(
			/<select id="[^"]+" name="([^"]+)"[^>]*>[\s\S]*?<option value="([^"]+)"/g
		))
			form.set(m[1]!, m[2]!);
		for (const m of html.matchAll(/<input id="[^"]+" name="([^"]+)" type="text" (inputmode)?/g))
			form.set(m[1]!, m[2] ? '3' : 'Chứng thực');
		for (const m of html.matchAll(/<textarea id="[^"]+" name="([^"]+)"/g))
			form.set(m[1]!, 'Niêm yết rõ thời hạn.');
		const posted = await request.post(`/surveys/${SIPAS}?/submit`, {
			form: Object.fromEntries(form),
			headers: { origin: baseURL!, accept: 'text/html' },
			maxRedirects: 0
		});
		expect(posted.status(), await posted.text()).toBe(303);
	}

	await signIn(page, DEMO.analyst);
	await page.goto('/analytics');
	await expectNoAxeViolations(page);
	const link = page.getByRole('link', { name: /Đánh giá sự hài lòng tại Bộ phận/ });
	await page.goto((await link.getAttribute('href'))!);
	// the aggregator adds new responses every 3 s (more on a busy machine)
	await expect(async () => {
		await page.reload();
		const text = (await page.getByText(/người trả lời; nhóm dưới 10/).textContent()) ?? '';
		expect(Number(text.match(/^(\d+)/)?.[1] ?? 0)).toBeGreaterThanOrEqual(12);
	}).toPass({ timeout: 60_000 });
	// the one-stop shop's wave is on the 2023–2026 version: the SIPAS index of two sub-indices
	// (the trend below has a row of that name too)
	const overall = page.locator('table#measures').getByRole('row', { name: /Chỉ số SIPAS/ });
	await expect(overall).toContainText('%');
	await expect(overall).toContainText('–');
	// by gender: every group shown has at least 10 respondents; the others say why they are hidden
	const gender = page.getByRole('region', { name: /Chỉ số chung theo: Giới tính/ });
	await expect(gender.getByRole('row', { name: /^Nam/ })).toContainText('%');
	for (const row of await gender.locator('tbody tr').all()) {
		const cells = await row.locator('td').allTextContents();
		if (cells[0] === '—') expect(cells.at(-1)).toMatch(/Ẩn|Chưa có/);
		else expect(Number(cells[2])).toBeGreaterThanOrEqual(10);
	}
	await expectNoAxeViolations(page);

	// the same numbers as CSV, with the same suppression
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page
			.getByRole('listitem')
			.filter({ hasText: 'Kết quả, cùng quy tắc ẩn nhóm nhỏ' })
			.getByRole('link', { name: 'Tải CSV' })
			.click()
	]);
	const csv = await readFile((await download.path())!, 'utf8');
	expect(
		csv.startsWith(
			'\uFEFFBảng,Nhóm,TT,Chỉ số,Thang đo,Giá trị,Cận dưới khoảng tin cậy 95%,Cận trên khoảng tin cậy 95%,Sai số chuẩn,Số người trả lời,Ghi chú\r\n'
		)
	).toBe(true);
	// the overall index in percent, as the page shows it
	expect(csv).toMatch(
		/\r\n[^\r\n]*,,Chỉ số SIPAS \(phương pháp QĐ 1001\/QĐ-BNV\),phần trăm \(0–100\),\d/
	);
	expect(csv).toMatch(
		/\r\n[^\r\n]*,2,"?Chỉ số hài lòng về cung ứng dịch vụ hành chính công"?,[^\r\n]*\r\n[^\r\n]*,2\.1,Tiếp cận dịch vụ,[^\r\n]*\r\n[^\r\n]*,2\.1\.1,"?Thông tin về/
	);
});

test('nobody sees the estimates of an open wave whose results wait for its close', async ({
	page
}) => {
	await signIn(page, DEMO.analyst);
	await page.goto('/analytics');
	const link = page.getByRole('link', { name: 'Khảo sát PAPI theo mẫu chọn năm 2026' });
	await page.goto((await link.getAttribute('href'))!);
	await expect(page.getByRole('status')).toContainText('chỉ được xem sau khi đợt kết thúc');
	await expect(page.getByRole('table')).toHaveCount(0);
	await expect(page.getByText(/Đã thu \d+\/1200 phiếu/)).toBeVisible();
	expect((await page.request.get(`${page.url()}/results.csv`)).status()).toBe(403);
});

test('an official without the analyst role is refused the results and every export', async ({
	page
}) => {
	await signIn(page, DEMO.official);
	for (const path of ['', '/questions', '/results.csv', '/microdata.csv']) {
		const response = await page.request.get(`/analytics/waves/1${path}`);
		expect(response.status(), path).toBe(403);
	}
	expect((await page.goto('/analytics/waves/1'))?.status()).toBe(403);
	expect((await page.request.get('/analytics/reference')).status()).toBe(403);
});

test('an analyst reads a closed wave: scores, commune and gender filters, hidden groups, trend, exports', async ({
	page
}) => {
	test.setTimeout(180_000);
	await signIn(page, DEMO.analyst);
	await page.goto('/analytics');
	await page.getByRole('link', { name: 'Khảo sát PAPI tỉnh Tuyên Quang, đợt 1 năm 2026' }).click();
	await page.waitForURL(/\/analytics\/waves\/\d+$/);
	const base = page.url();
	const total = page.locator('#measures').getByRole('row', { name: /^Chỉ số tổng hợp/ });
	await expect(total).toContainText(/\d+,\d\d\s+\d+,\d\d – \d+,\d\d\s+400/);
	// the questionnaire's order: each dimension followed by its own sub-dimensions, numbered
	const names = (await page.locator('#measures tbody th').allTextContents()).map((t) =>
		t.replace(/\s+/g, ' ').trim()
	);
	expect(names.slice(0, 4)).toEqual([
		'Chỉ số tổng hợp',
		'1. Tham gia của người dân ở cấp cơ sở',
		'1.1. Tri thức công dân',
		'1.2. Cơ hội tham gia'
	]);
	expect(names.slice(-2)).toEqual([
		'8.2. Tiếp cận và sử dụng Internet tại địa phương',
		'8.3. Phúc đáp của chính quyền qua cổng thông tin điện tử'
	]);
	// the CSV: the same rows in the same order, the values as shown, with SE and n
	const wholeCsv = parse(await (await page.request.get(`${base}/results.csv`)).text(), {
		bom: true,
		relax_column_count: true
	}) as string[][];
	const measureRows = wholeCsv.slice(1).filter((r) => r[0] === wholeCsv[1]![0]);
	expect(measureRows.map((r) => (r[2] ? `${r[2]}. ${r[3]}` : r[3]))).toEqual(names);
	const shownTotal = (await total.locator('td').first().textContent())!.trim();
	const [, , , , scale, value, low, high, se, n] = measureRows[0]!;
	expect(scale).toBe('điểm (0–80)');
	expect(Number(value)).toBe(Number(shownTotal.replace(',', '.')));
	expect(Number(low)).toBeLessThan(Number(value));
	expect(Number(high)).toBeGreaterThan(Number(value));
	expect(Number(se)).toBeGreaterThan(0);
	expect(n).toBe('400');
	// chart.js has drawn the dimensions chart (it sizes the canvas it draws on)
	await expect(page.locator('figure.chart canvas').first()).toHaveAttribute('style', /height/);
	await expectNoAxeViolations(page);

	// ten ethnic groups among 400 people: the small ones are hidden and say why, with no number
	const ethnicity = page.getByRole('region', { name: /dân tộc/ });
	const hidden = ethnicity.getByRole('row').filter({ hasText: 'Ẩn: nhóm dưới 10' });
	expect(await hidden.count()).toBeGreaterThan(0);
	for (const row of await hidden.all()) expect(await row.textContent()).not.toMatch(/\d+,\d\d/);

	// filter by a commune and by gender: a plain GET form
	const commune = (await page
		.getByLabel('Xã, phường', { exact: true })
		.locator('option')
		.nth(1)
		.textContent())!;
	await page.getByLabel('Xã, phường', { exact: true }).selectOption({ label: commune });
	await page.getByLabel('Nhóm người trả lời').selectOption({ label: 'Nữ' });
	await page.getByRole('button', { name: 'Lọc', exact: true }).click();
	await expect(page).toHaveURL(/unit=\d+&band=gender%3Afemale/);
	await expect(page.getByText(`Đang xem: ${commune} · Nữ`)).toBeVisible();
	const shownOrHidden = page
		.locator('#measures')
		.getByRole('row', { name: /^Chỉ số tổng hợp/ })
		.or(page.getByText(/Nhóm bạn chọn có dưới 10 người/));
	await expect(shownOrHidden.first()).toBeVisible();
	if (await page.getByText(/Nhóm bạn chọn có dưới 10 người/).isVisible())
		await expect(page.locator('#measures')).not.toContainText(/\d+,\d\d/);
	else {
		const n = Number((await total.locator('td').nth(2).textContent())!.trim());
		expect(n).toBeGreaterThanOrEqual(10);
	}
	await expectNoAxeViolations(page);

	// the filtered results as CSV, with the same filter
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page
			.getByRole('listitem')
			.filter({ hasText: 'Kết quả, cùng quy tắc ẩn nhóm nhỏ' })
			.getByRole('link', { name: 'Tải CSV' })
			.click()
	]);
	const csv = await readFile((await download.path())!, 'utf8');
	expect(csv).toContain(`${commune} · Nữ`);

	// back to the whole wave: the trend against the earlier wave, with the change and its test
	await page.goto(base);
	const trends = page.getByRole('region', { name: 'Diễn biến qua các đợt khảo sát' });
	await expect(trends.getByRole('columnheader', { name: /đợt năm 2025/ })).toBeVisible();
	await expect(trends.getByRole('row', { name: /^Chỉ số tổng hợp/ })).toContainText(
		/Thay đổi so với đợt trước: [+−]\d+,\d\d, (có|chưa có) ý nghĩa thống kê/
	);

	// drill-down to each question's answer distribution
	await page.getByRole('link', { name: 'Phân bố câu trả lời từng câu hỏi' }).click();
	const gender = page.getByRole('table', { name: /Giới tính/ });
	await expect(gender.getByRole('row', { name: /^Nam/ })).toContainText('%');
	await expectNoAxeViolations(page);

	// microdata: one row per response, for an analyst who also holds the microdata grant
	const micro = await page.request.get(`${base}/microdata.csv`);
	expect(micro.status()).toBe(200);
	const lines = (await micro.text()).trimEnd().split('\r\n');
	expect(lines).toHaveLength(401);
	expect(lines[0]).toMatch(/^\uFEFF?stt,ma_xa,hinh_thuc,ngay_nop,trong_so,trong_so_thiet_ke,/);
});

test('an analyst enters a published result and sees it beside the estimates', async ({ page }) => {
	await signIn(page, DEMO.analyst);
	await page.goto('/analytics/reference');
	await expectNoAxeViolations(page);
	const form = page.locator('form[action="?/official"]');
	await form.getByLabel('Chỉ số').selectOption({ label: 'Chỉ số tổng hợp (0–80)' });
	await form.getByLabel('Năm').fill('2025');
	await form.getByLabel('Giá trị').fill('95');
	await form.getByRole('button', { name: 'Lưu' }).click();
	// out of range: a localized error at the field, and what was typed is kept
	await expect(form.getByText('Giá trị phải từ 0 đến 80.')).toBeVisible();
	await expect(form.getByLabel('Năm')).toHaveValue('2025');
	await form.getByLabel('Giá trị').fill('44,5');
	await form.getByLabel('Nguồn, căn cứ').fill('Báo cáo PAPI 2025 (số liệu thử)');
	await form.getByRole('button', { name: 'Lưu' }).click();
	await expect(page.getByRole('status')).toContainText(
		'Đã lưu kết quả công bố năm 2025 của chỉ số “Chỉ số tổng hợp”'
	);
	await expect(page.getByRole('row', { name: /2025.*44,50/ })).toBeVisible();

	await page.goto('/analytics');
	await page.getByRole('link', { name: 'Khảo sát PAPI tỉnh Tuyên Quang, đợt năm 2025' }).click();
	const trends = page.getByRole('region', { name: 'Diễn biến qua các đợt khảo sát' });
	await expect(trends.getByRole('columnheader', { name: 'Công bố chính thức 2025' })).toBeVisible();
	await expect(trends.getByRole('row', { name: /^Chỉ số tổng hợp/ })).toContainText('44,50');
});
