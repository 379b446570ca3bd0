import { expect } from '@playwright/test';
import { unique } from './helpers';
import { expectRefusal, withAndWithoutScript } from './refusal-helpers';
import { startPaged } from './survey-helpers';

const PAPI = 'papi-tuyen-quang-2026'; // paged, open link

withAndWithoutScript('a survey resumed with a code that leads nowhere', async (page) => {
	const code = `KHONG${unique()}`;
	await page.goto(`/surveys/${PAPI}`);
	await page.getByLabel('Mã tiếp tục').fill(code);
	await page.getByRole('button', { name: 'Trả lời tiếp' }).click();
	await expectRefusal(page, {
		linked: ['code'],
		kept: { code },
		says: 'Không tìm thấy phiếu với mã này, hoặc phiếu đã hết hạn.'
	});
});

withAndWithoutScript('a survey page sent with its questions unanswered', async (page) => {
	await startPaged(page, PAPI);
	const step = page.url();
	// one answer given, the rest left empty: the page is refused, the answer kept
	const firstText = page.locator('[data-question] input[type=text], [data-question] textarea');
	const firstChoice = page.locator('[data-question] input[type=radio]').first();
	const hasChoice = (await firstChoice.count()) > 0;
	if (hasChoice) await firstChoice.check();
	else await firstText.first().fill('12');
	await page.getByRole('button', { name: 'Tiếp tục', exact: true }).click();
	await expectRefusal(page, {});
	await expect(page).toHaveURL(step);
	if (hasChoice) await expect(firstChoice).toBeChecked();
	else await expect(firstText.first()).toHaveValue('12');
	// each listed question is a link that leads to it
	const summary = page.locator('.error-summary');
	const links = summary.locator('a[href^="#q-"]');
	expect(await links.count()).toBeGreaterThan(0);
	const target = (await links.first().getAttribute('href'))!;
	await links.first().click();
	await expect(page.locator(target)).toBeInViewport();
	await expect(page).toHaveURL(new RegExp(`${target}$`));
});
