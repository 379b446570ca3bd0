import { expect, type Locator, type Page } from '@playwright/test';

/** Gives a plausible answer to every question on the page; skips those listed in `leave`. */
export async function answerAll(page: Page, leave: string[] = []) {
	const questions = page.locator('[data-question]');
	const count = await questions.count();
	for (let i = 0; i < count; i++) {
		const q = questions.nth(i);
		const code = (await q.getAttribute('data-question'))!;
		// hidden: a condition not met (one-page layout with JavaScript)
		if (leave.includes(code) || !(await q.isVisible())) continue;
		await answerOne(q);
	}
}

async function answerOne(q: Locator) {
	const radios = q.locator('input[type=radio]');
	if ((await radios.count()) > 0) {
		// the first real option (not "don't know" / "refuse"), clicked through its label as a person would
		await q.locator('label.choice:not(.missing)').first().click();
		return;
	}
	const boxes = q.locator('input[type=checkbox]');
	if ((await boxes.count()) > 0) {
		// clicking a checked box would clear it: answer only once
		if ((await q.locator('input:checked').count()) === 0) {
			await q.locator('label.choice:not(.missing)').first().click();
		}
		return;
	}
	const select = q.locator('select');
	if ((await select.count()) > 0) {
		await select.selectOption({ index: 1 });
		return;
	}
	const textarea = q.locator('textarea');
	if ((await textarea.count()) > 0) {
		await textarea.fill('Đề nghị niêm yết công khai thời hạn giải quyết.');
		return;
	}
	const input = q.locator('input[type=text]');
	const numeric = await input.getAttribute('inputmode');
	await input.fill(numeric ? '12' : 'Cấp giấy chứng nhận');
}

/** From the wave's page: consent, optional invitation code, start; lands on the first step. */
export async function startPaged(page: Page, slug: string, invitation?: string) {
	await page.goto(`/surveys/${slug}`);
	if (invitation) await page.getByLabel('Mã mời tham gia').fill(invitation);
	await page.getByLabel('Tôi đã đọc thông tin trên và đồng ý tham gia khảo sát.').check();
	await page.getByRole('button', { name: 'Bắt đầu trả lời' }).click();
	await expect(page).toHaveURL(new RegExp(`/surveys/${slug}/step/\\d+$`));
}

/** Answers every page to the review, then sends; returns the receipt number. */
export async function completePaged(page: Page, onEachPage?: (page: Page) => Promise<void>) {
	for (let guard = 0; guard < 40 && /\/step\/\d+/.test(page.url()); guard++) {
		await expect(page.getByText(/^Phần \d+\/\d+$/)).toBeVisible();
		await answerAll(page);
		await onEachPage?.(page);
		const before = page.url();
		await page.getByRole('button', { name: 'Tiếp tục', exact: true }).click();
		// with JavaScript the next page is swapped in place: wait for its address
		await expect(page).not.toHaveURL(before);
	}
	await expect(page).toHaveURL(/\/review$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Xem lại câu trả lời trước khi gửi'
	);
	await onEachPage?.(page);
	await page.getByRole('button', { name: 'Gửi phiếu khảo sát' }).click();
	return receipt(page);
}

export async function receipt(page: Page): Promise<string> {
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Cảm ơn ông/bà đã tham gia khảo sát'
	);
	const text = await page.getByRole('status').textContent();
	const match = text?.match(/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
	expect(match, text ?? '').not.toBeNull();
	return match![0];
}
