import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations } from './helpers';
import { answerAll, completePaged, receipt, startPaged } from './survey-helpers';

const PAPI = 'papi-tuyen-quang-2026';
const SIPAS = 'sipas-mot-cua-vi-xuyen-2026';
const SAMPLE = 'papi-mau-chon-2026';

async function completeSipas(page: Page) {
	await page.goto('/surveys');
	await page.getByRole('link', { name: /Đánh giá sự hài lòng tại Bộ phận tiếp nhận/ }).click();
	await expect(page).toHaveURL(new RegExp(`/surveys/${SIPAS}$`));
	await page.getByLabel('Tôi đã đọc thông tin trên và đồng ý tham gia khảo sát.').check();
	await answerAll(page);
	await page.getByRole('button', { name: 'Gửi phiếu khảo sát' }).click();
	return receipt(page);
}

for (const javaScriptEnabled of [true, false]) {
	test.describe(`JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
		test.use({ javaScriptEnabled });

		test('a citizen completes the one-page SIPAS-style survey', async ({ page }) => {
			expect(await completeSipas(page)).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
		});

		test('a citizen completes the paged PAPI-style survey, section by section', async ({
			page
		}) => {
			// ten pages of answers: on a busy two-core CI machine this alone can take half a minute
			test.slow();
			await startPaged(page, PAPI);
			await expect(page.getByText('Phần 1/10')).toBeVisible();
			expect(await completePaged(page)).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
		});
	});
}

for (const javaScriptEnabled of [true, false]) {
	test(`a validation error is shown next to the question and keeps every other answer (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({
		browser
	}) => {
		test.slow();
		const context = await browser.newContext({ javaScriptEnabled });
		const page = await context.newPage();
		await page.goto(`/surveys/${SIPAS}`);
		await page.getByLabel('Tôi đã đọc thông tin trên và đồng ý tham gia khảo sát.').check();
		await answerAll(page, ['overall_satisfaction', 'age_band']);
		const checkedBefore = await page.locator('input:checked').count();
		await page.getByRole('button', { name: 'Gửi phiếu khảo sát' }).click();
		for (const code of ['overall_satisfaction', 'age_band']) {
			await expect(
				page.locator(`[data-question="${code}"]`).getByText('Vui lòng trả lời câu hỏi này.')
			).toBeVisible();
		}
		// without JavaScript the server answered: its summary lists what to fix
		if (!javaScriptEnabled)
			await expect(page.getByRole('alert')).toContainText('Có 2 câu cần trả lời hoặc sửa lại.');
		expect(await page.locator('input:checked').count()).toBe(checkedBefore);
		await expect(
			page.getByLabel('Tôi đã đọc thông tin trên và đồng ý tham gia khảo sát.')
		).toBeChecked();
		// axe runs inside the page, so it needs JavaScript; the markup is the same either way
		if (javaScriptEnabled) await expectNoAxeViolations(page);
		await answerAll(page);
		await page.getByRole('button', { name: 'Gửi phiếu khảo sát' }).click();
		await receipt(page);
		await context.close();
	});
}

test('on a paged survey a missing answer stops "next" and the page keeps what was chosen', async ({
	page
}) => {
	await startPaged(page, PAPI);
	const first = page.locator('[data-question]').first();
	const code = await first.getAttribute('data-question');
	await answerAll(page, [code!]);
	const checked = await page.locator('input:checked').count();
	await page.getByRole('button', { name: 'Tiếp tục', exact: true }).click();
	await expect(
		page.locator(`[data-question="${code}"]`).getByText('Vui lòng trả lời câu hỏi này.')
	).toBeVisible();
	expect(await page.locator('input:checked').count()).toBe(checked);
	await expectNoAxeViolations(page);
});

test('a resume code restores a half-finished survey in a new browser', async ({
	page,
	browser
}) => {
	await startPaged(page, PAPI);
	await answerAll(page);
	await page.getByRole('button', { name: 'Tiếp tục', exact: true }).click();
	await expect(page).toHaveURL(/\/step\/2$/);
	const note = await page.locator('.resume-note').textContent();
	const code = note!.match(/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/)![0];

	const other = await browser.newContext();
	const fresh = await other.newPage();
	await fresh.goto(`/surveys/${PAPI}`);
	await fresh.getByLabel('Mã tiếp tục').fill(code.toLowerCase());
	await fresh.getByRole('button', { name: 'Trả lời tiếp' }).click();
	// back where the first browser stopped (no errors for a page not yet seen), answers kept
	await expect(fresh).toHaveURL(new RegExp(`/surveys/${PAPI}/step/2$`));
	await fresh.getByRole('button', { name: 'Quay lại' }).click();
	await expect(fresh).toHaveURL(/\/step\/1$/);
	expect(await fresh.locator('input:checked').count()).toBeGreaterThan(0);
	await other.close();
});

test('an invitation code works once and is refused the second time', async ({ page, browser }) => {
	await startPaged(page, SAMPLE, 'test-2026-0001');
	await completePaged(page);

	const other = await browser.newContext();
	const again = await other.newPage();
	await again.goto(`/surveys/${SAMPLE}`);
	await again.getByLabel('Mã mời tham gia').fill('TEST-2026-0001');
	await again.getByLabel('Tôi đã đọc thông tin trên và đồng ý tham gia khảo sát.').check();
	await again.getByRole('button', { name: 'Bắt đầu trả lời' }).click();
	await expect(again.locator('.error-summary')).toContainText(
		'Mã mời không đúng hoặc đã được sử dụng.'
	);
	await other.close();
});

test('axe finds nothing on every survey page, in both languages', async ({
	page,
	context,
	baseURL
}) => {
	// 90 s on a loaded two-core machine; room for one three times slower
	test.setTimeout(300_000);
	for (const locale of ['vi', 'en']) {
		await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: baseURL! }]);
		for (const path of [
			'/surveys',
			`/surveys/${PAPI}`,
			`/surveys/${SIPAS}`,
			`/surveys/${SAMPLE}`
		]) {
			await page.goto(path);
			await expectNoAxeViolations(page);
		}
	}
	await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'vi', url: baseURL! }]);
	await startPaged(page, PAPI);
	await expectNoAxeViolations(page);
	await completePaged(page, expectNoAxeViolations);
	await expectNoAxeViolations(page);
});

test('the survey pages download no framework JavaScript, only survey.js', async ({ page }) => {
	const scripts: string[] = [];
	page.on('request', (r) => {
		if (r.resourceType() === 'script') scripts.push(r.url());
	});
	await page.goto(`/surveys/${SIPAS}`);
	await startPaged(page, PAPI);
	expect(scripts.filter((s) => s.includes('/_app/'))).toEqual([]);
	// only the small enhancement script of our own
	expect([...new Set(scripts.map((s) => new URL(s).pathname))]).toEqual(['/survey.js']);
});

test('every visitor gets their own submission key and their own receipt, also from the page cache', async ({
	request
}) => {
	const keys = new Set<string>();
	for (let i = 0; i < 3; i++) {
		const html = await (await request.get(`/surveys/${SIPAS}`)).text();
		keys.add(html.match(/name="submit_key" value="([^"]+)"/)![1]!);
	}
	expect(keys.size).toBe(3);
	for (const receipt of ['AAAA-BBBB-CCCC', 'DDDD-EEEE-FFFF', 'AAAA-BBBB-CCCC']) {
		const html = await (await request.get(`/surveys/${SIPAS}/thanks?receipt=${receipt}`)).text();
		expect(html).toContain(receipt);
		// every receipt-shaped text on the page is this visitor's own
		expect(new Set(html.match(/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/g))).toEqual(new Set([receipt]));
	}
	const odd = await (await request.get(`/surveys/${SIPAS}/thanks?receipt=<b>x</b>`)).text();
	expect(odd).not.toContain('<b>x</b>');
	expect(odd).not.toContain('AAAA-BBBB-CCCC');
});
