import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations } from './helpers';
import { PHONE } from './refusal-helpers';
import { answerAll, receipt, startPaged } from './survey-helpers';

const SIPAS = 'sipas-mot-cua-vi-xuyen-2026';
const PAPI = 'papi-tuyen-quang-2026';
const AGE = /Ông\/bà thuộc nhóm tuổi nào\?/;

/** The one-page form's question `code`. */
const question = (page: Page, code: string) => page.locator(`[data-question="${code}"]`);

for (const js of [true, false]) {
	test.describe(`the one-page survey on a phone (JavaScript ${js ? 'on' : 'off'})`, () => {
		test.use({ viewport: PHONE, javaScriptEnabled: js });

		test('numbered, each criterion said once, compact and within the screen', async ({ page }) => {
			await page.goto(`/surveys/${SIPAS}`);
			await expect(page.getByText(/Phiếu có 50 câu trong 14 phần/)).toBeVisible();
			await expect(page.locator('#s-access')).toHaveText(/Phần 6\/14\s+Tiếp cận dịch vụ/);
			const first = question(page, 'access_information_sat');
			await expect(first.locator('legend')).toHaveText(/^15\.\s+Ông\/bà hài lòng thế nào/);
			// the criterion's title is not said again above its question
			await expect(
				page.getByText('Thông tin về thủ tục hành chính được cung cấp theo nhiều hình thức')
			).toHaveCount(0);
			await expect(page.locator('form[data-survey] h3')).toHaveCount(0);
			// a scale's five points in one row, each a target of at least 24 × 24 px
			const points = first.locator('label.choice:not(.missing)');
			await expect(points).toHaveCount(5);
			const boxes = await points.evaluateAll((els) =>
				els.map((el) => el.getBoundingClientRect()).map((r) => [r.top, r.width, r.height])
			);
			expect(new Set(boxes.map(([top]) => top)).size).toBe(1);
			for (const [, width, height] of boxes) {
				expect(width).toBeGreaterThanOrEqual(24);
				expect(height).toBeGreaterThanOrEqual(24);
			}
			const send = page.getByRole('button', { name: 'Gửi phiếu khảo sát' });
			expect((await send.boundingBox())!.height).toBeGreaterThanOrEqual(44);
			// shorter than the 26,586 px it was at 360 px
			expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThan(20_000);
			await page.setViewportSize({ width: 320, height: 740 });
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
				320
			);
			// axe runs in the page's JavaScript
			if (js) await expectNoAxeViolations(page);
		});

		test('a visitor from another commune who would rather not give an age answers truly', async ({
			page
		}) => {
			await page.goto(`/surveys/${SIPAS}`);
			await page.getByLabel('Tôi đã đọc thông tin trên và đồng ý tham gia khảo sát.').check();
			await answerAll(page);
			await page.getByRole('group', { name: AGE }).getByLabel('Không muốn trả lời').check();
			const commune = question(page, 'commune').locator('select');
			const elsewhere = commune.locator(
				'optgroup[label="Xã, phường, đặc khu khác trong tỉnh"] option'
			);
			expect(await elsewhere.count()).toBeGreaterThan(50);
			const other = (await elsewhere.nth(3).getAttribute('value'))!;
			await commune.selectOption(other);
			await page.getByRole('button', { name: 'Gửi phiếu khảo sát' }).click();
			expect(await receipt(page)).toMatch(/^[0-9A-Z]{4}-/);
		});

		test('the language switch keeps the answers given so far', async ({ page }) => {
			await page.goto(`/surveys/${SIPAS}`);
			await page.getByLabel('Tôi đã đọc thông tin trên và đồng ý tham gia khảo sát.').check();
			await question(page, 'access_information_sat')
				.getByLabel('Hài lòng', { exact: true })
				.check();
			await page.getByRole('group', { name: AGE }).getByLabel('Không muốn trả lời').check();
			await page.getByRole('textbox', { name: /Tên thủ tục hành chính/ }).fill('Đăng ký khai sinh');
			await page.getByRole('button', { name: /^English — / }).click();
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(
				'Satisfaction at the Vị Xuyên Commune One-Stop Shop'
			);
			await expect(page.locator('.error-summary')).toHaveCount(0);
			await expect(
				question(page, 'access_information_sat').getByLabel('Satisfied', { exact: true })
			).toBeChecked();
			await expect(
				page.getByRole('group', { name: /Which age group/ }).getByLabel('Prefer not to answer')
			).toBeChecked();
			await expect(page.locator('[name="procedure_name"]')).toHaveValue('Đăng ký khai sinh');
			await expect(page.getByLabel(/I have read the information above/)).toBeChecked();
			// and back, through the header's switch: with JavaScript it posts the form too
			if (js) {
				await page.locator('.language-form button').click();
				await expect(page.getByRole('heading', { level: 1 })).toHaveText(
					'Đánh giá sự hài lòng tại Bộ phận tiếp nhận và trả kết quả xã Vị Xuyên'
				);
				await expect(
					question(page, 'access_information_sat').getByLabel('Hài lòng', { exact: true })
				).toBeChecked();
			}
		});
	});

	test.describe(`the paged survey (JavaScript ${js ? 'on' : 'off'})`, () => {
		test.use({ viewport: PHONE, javaScriptEnabled: js });

		test('resumes on the first unanswered page without errors, and switches language keeping the page', async ({
			page
		}) => {
			await startPaged(page, PAPI);
			await expect(page.getByText(/^Câu 1–\d+\/\d+$/)).toBeVisible();
			await answerAll(page);
			await page.getByRole('button', { name: 'Tiếp tục', exact: true }).click();
			await expect(page).toHaveURL(/\/step\/2$/);
			// back to the wave's page, then "Trả lời tiếp": page 2, not yet seen, without errors
			await page.goto(`/surveys/${PAPI}`);
			await page.getByRole('link', { name: 'Trả lời tiếp' }).click();
			await expect(page).toHaveURL(new RegExp(`/surveys/${PAPI}/step/2$`));
			await expect(page.locator('.error-summary')).toHaveCount(0);
			await expect(page.locator('.q-error')).toHaveCount(0);

			// some answers on this page, then the language switch: the same page, in English, kept
			const first = page.locator('[data-question]').first();
			await first.locator('label.choice').first().click();
			const code = (await first.getAttribute('data-question'))!;
			const value = await first.locator('input').first().getAttribute('value');
			await page.getByRole('button', { name: /^English — / }).click();
			await expect(page).toHaveURL(new RegExp(`/surveys/${PAPI}/step/2$`));
			await expect(page.getByText(/^Section \d+ of \d+$/)).toBeVisible();
			await expect(page.locator(`[name="${code}"][value="${value}"]`)).toBeChecked();
			await expect(page.locator('.error-summary')).toHaveCount(0);
			// axe runs in the page's JavaScript
			if (js) await expectNoAxeViolations(page);
		});
	});
}

test.describe('the review', () => {
	test.use({ viewport: PHONE });

	test('"edit section" returns to the review once the section is saved', async ({ page }) => {
		test.setTimeout(180_000);
		await startPaged(page, PAPI);
		for (let guard = 0; guard < 40 && /\/step\/\d+/.test(page.url()); guard++) {
			await answerAll(page);
			const before = page.url();
			await page.getByRole('button', { name: 'Tiếp tục', exact: true }).click();
			await expect(page).not.toHaveURL(before);
		}
		await expect(page).toHaveURL(/\/review$/);
		await page.getByRole('link', { name: /^Sửa phần Tham gia của người dân/ }).click();
		await expect(page).toHaveURL(/\/step\/1\?from=review$/);
		// the section's pages (a condition may split it), then straight back to the review
		for (let guard = 0; guard < 5 && /from=review/.test(page.url()); guard++) {
			const before = page.url();
			await page.getByRole('button', { name: 'Lưu và quay lại trang xem lại' }).click();
			await expect(page).not.toHaveURL(before);
		}
		await expect(page).toHaveURL(/\/review$/);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(
			'Xem lại câu trả lời trước khi gửi'
		);
	});
});
