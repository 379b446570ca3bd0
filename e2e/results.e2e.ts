import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { DEMO, expectNoAxeViolations, signIn, unique } from './helpers';
import { completePaged, startPaged } from './survey-helpers';

/** The page's width beyond the viewport's, in CSS pixels (0: nothing scrolls sideways). */
const overflow = (page: Page) =>
	page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

test('a closed wave’s results are public: every figure with its interval and n ≥ 10, a chart of SVG, and how to read it', async ({
	page
}) => {
	await page.goto('/plans');
	await page.getByRole('link', { name: 'Xem kết quả các cuộc khảo sát đã kết thúc' }).click();
	await expect(page).toHaveURL(/\/results$/);
	await expectNoAxeViolations(page);
	// the demo's three closed waves; its open ones are not listed
	await expect(page.locator('.cards > li')).toHaveCount(3);
	await expect(page.getByRole('link', { name: /Đánh giá sự hài lòng tại Bộ phận/ })).toHaveCount(0);
	await page.getByRole('link', { name: 'Khảo sát PAPI tỉnh Tuyên Quang, đợt 1 năm 2026' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Khảo sát PAPI tỉnh Tuyên Quang, đợt 1 năm 2026'
	);
	await expect(page.getByText(/Thời gian khảo sát: .+ – .+ · 400 phiếu trả lời/)).toBeVisible();
	await expect(page.getByText('Kết quả tính trên 400 người trả lời.')).toBeVisible();
	const table = page.getByRole('table', { name: /Kết quả Khảo sát PAPI/ });
	const rows = table.locator('tbody tr');
	// the total and the eight dimensions; no sub-dimension, commune or group
	await expect(rows).toHaveCount(9);
	let shown = 0;
	for (const row of await rows.all()) {
		const cells = await row.locator('td').allTextContents();
		if (cells.length === 1) {
			expect(cells[0]).toMatch(/Ẩn|Không đủ dữ liệu|Chưa có/);
			continue;
		}
		shown++;
		expect(cells[0]).toMatch(/^\d+,\d\d$/);
		expect(cells[1]).toMatch(/^\d+,\d\d – \d+,\d\d$/);
		expect(Number(cells[2])).toBeGreaterThanOrEqual(10);
	}
	expect(shown).toBeGreaterThan(1);
	await expect(page.getByRole('combobox')).toHaveCount(0);
	const chart = page.getByRole('img', { name: /Biểu đồ các chỉ số nội dung/ });
	await expect(chart).toBeVisible();
	expect(await chart.evaluate((e) => e.tagName.toLowerCase())).toBe('svg');
	await expect(page.getByRole('heading', { name: 'Cách đọc khoảng tin cậy' })).toBeVisible();
	await expectNoAxeViolations(page);

	await page.setViewportSize({ width: 320, height: 800 });
	await page.reload();
	expect(await overflow(page)).toBeLessThanOrEqual(0);
	const box = (await chart.boundingBox())!;
	expect(box.width).toBeLessThanOrEqual(320);

	// an open wave and an unknown one are not found
	expect((await page.request.get('/results/999999')).status()).toBe(404);
	expect((await page.request.get('/results/x1')).status()).toBe(404);
});

test('a wave with too few respondents publishes none of its figures, and the receipt links to the results', async ({
	page,
	browser
}) => {
	test.setTimeout(180_000);
	const slug = `ket-qua-${unique()}`;
	await signIn(page, DEMO.analyst);
	await page.goto('/fieldwork/waves/new');
	await page.getByLabel(/Mã đợt/).fill(slug);
	await page.getByLabel('Tên đợt (tiếng Việt)').fill(`Khảo sát ít phiếu ${slug}`);
	await page.getByLabel('Tên đợt (tiếng Anh)').fill(`Small survey ${slug}`);
	await page.getByLabel(/Bộ phiếu/).selectOption({ index: 1 });
	// a designed sample: its results wait for its close
	await page.getByLabel('Cách tham gia').selectOption('invitation');
	await page.getByLabel('Đơn vị hành chính thuộc phạm vi').selectOption('00913');
	await page.getByRole('button', { name: 'Tạo đợt khảo sát' }).click();
	await page.getByRole('button', { name: 'Mở đợt khảo sát' }).click();
	const waveId = page.url().match(/\/fieldwork\/waves\/(\d+)/)![1]!;
	await page.getByLabel(/Số mã cần tạo/).fill('1');
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: 'Tạo và tải về danh sách mã (CSV)' }).click()
	]);
	const code = (await readFile((await download.path())!, 'utf8')).split('\r\n')[1]!.split(',')[0]!;

	// while it is open, its results are not public
	expect((await page.request.get(`/results/${waveId}`)).status()).toBe(404);

	const citizen = await (await browser.newContext()).newPage();
	await startPaged(citizen, slug, code);
	await completePaged(citizen);
	const link = citizen.getByRole('link', { name: /^Kết quả sẽ được công bố tại đây/ });
	await expect(link).toHaveAttribute('href', /\/results$/);
	await expectNoAxeViolations(citizen);

	await page.getByRole('button', { name: 'Đóng đợt khảo sát' }).click();
	// the aggregator counts the response and takes the wave's snapshot within seconds
	await expect(async () => {
		expect((await citizen.request.get(`/results/${waveId}`)).status()).toBe(200);
	}).toPass({ timeout: 60_000 });
	await link.click();
	await citizen.getByRole('link', { name: `Khảo sát ít phiếu ${slug}` }).click();
	await expect(citizen.getByRole('status')).toHaveText(
		'Đợt khảo sát này có quá ít người trả lời (dưới 10 người), nên kết quả không được công bố.'
	);
	await expect(citizen.getByRole('table')).toHaveCount(0);
	await expect(citizen.getByRole('img')).toHaveCount(0);
	expect(await citizen.content()).not.toMatch(/\d+,\d+ ?%/);
	await expectNoAxeViolations(citizen);
});

test('a disclosure’s table chart is SVG drawn by the server, and no chart.js is loaded', async ({
	page
}) => {
	const scripts: Promise<string>[] = [];
	page.on('response', (r) => {
		if (r.request().resourceType() === 'script') scripts.push(r.text().catch(() => ''));
	});
	await page.goto('/disclosures');
	await page.getByRole('link', { name: 'Dự toán ngân sách xã Vị Xuyên năm 2026' }).click();
	await page.waitForLoadState('networkidle');
	const chart = page.getByRole('img', { name: 'Biểu đồ số liệu của du-toan-ngan-sach-2026.csv' });
	await expect(chart).toBeVisible();
	expect(await chart.evaluate((e) => e.tagName.toLowerCase())).toBe('svg');
	await expect(chart.locator('rect')).toHaveCount(5);
	await expect(page.locator('canvas')).toHaveCount(0);
	await expect(page.getByRole('link', { name: /số liệu đầy đủ ở bảng dưới đây/ })).toHaveAttribute(
		'href',
		/#table-\d+$/
	);
	const bodies = await Promise.all(scripts);
	expect(bodies.length).toBeGreaterThan(0);
	// chart.js's defaults: present in its chunk whatever the minifier renames
	expect(bodies.filter((b) => b.includes('maintainAspectRatio'))).toEqual([]);
	await expectNoAxeViolations(page);
});
