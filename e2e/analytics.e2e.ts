import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { DEMO, expectNoAxeViolations, signIn } from './helpers';

const SIPAS = 'sipas-mot-cua-vi-xuyen-2026';

test('an analyst sees live results within seconds, with intervals, read from the aggregated sums', async ({
	page,
	request,
	baseURL
}) => {
	test.setTimeout(120_000);
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
	// the aggregator adds new responses every few seconds
	await expect(async () => {
		await page.reload();
		const text = (await page.getByText(/người trả lời; nhóm dưới 10/).textContent()) ?? '';
		expect(Number(text.match(/^(\d+)/)?.[1] ?? 0)).toBeGreaterThanOrEqual(12);
	}).toPass({ timeout: 20_000 });
	const overall = page.getByRole('row', { name: /Chỉ số hài lòng chung/ });
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
		page.getByRole('link', { name: /Tải kết quả về/ }).click()
	]);
	const csv = await readFile((await download.path())!, 'utf8');
	expect(csv.startsWith('\uFEFFBảng,Nhóm,Chỉ số,Giá trị')).toBe(true);
	expect(csv).toMatch(/\r\n[^\r\n]*,Chỉ số hài lòng chung,0?\.?\d/);
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

test('an official without the analyst role is refused the results', async ({ page }) => {
	await signIn(page, DEMO.official);
	const response = await page.goto('/analytics/waves/1');
	expect(response?.status()).toBe(403);
});
