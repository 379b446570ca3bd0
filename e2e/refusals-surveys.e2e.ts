import { expect } from '@playwright/test';
import { DEMO, signIn, submitSignIn, unique } from './helpers';
import { expectRefusal, withAndWithoutScript } from './refusal-helpers';
import { answerAll } from './survey-helpers';

const PAPI = 'papi-tuyen-quang-2026'; // paged, open link
const SIPAS = 'sipas-mot-cua-vi-xuyen-2026'; // one page, open link
const SAMPLE = 'papi-mau-chon-2026'; // paged, invitation codes
const CONSENT = 'Vui lòng đánh dấu ô đồng ý để tham gia khảo sát.';

// The consent box and the invitation field carry no `required` attribute (the server decides),
// so with JavaScript off these posts reach the server as they are.

withAndWithoutScript('a paged survey started without consent', async (page) => {
	await page.goto(`/surveys/${PAPI}`);
	await page.getByRole('button', { name: 'Bắt đầu trả lời' }).click();
	await expectRefusal(page, { linked: ['consent'], says: CONSENT });
	await expect(page.locator('#field-consent')).not.toBeChecked();
});

withAndWithoutScript('an invitation survey started with a wrong code', async (page) => {
	const code = `SAI-${unique()}`;
	await page.goto(`/surveys/${SAMPLE}`);
	await page.getByLabel('Mã mời tham gia').fill(code);
	await page.getByLabel('Tôi đã đọc thông tin trên và đồng ý tham gia khảo sát.').check();
	await page.getByRole('button', { name: 'Bắt đầu trả lời' }).click();
	await expectRefusal(page, {
		linked: ['invitation'],
		kept: { invitation: code },
		says: 'Mã mời không đúng hoặc đã được sử dụng.'
	});
	// the consent given is not taken back
	await expect(page.locator('#field-consent')).toBeChecked();
});

withAndWithoutScript('a one-page survey answered in full but without consent', async (page) => {
	await page.goto(`/surveys/${SIPAS}`);
	await answerAll(page);
	const typed = await page.locator('textarea').first().inputValue();
	await page.getByRole('button', { name: 'Gửi phiếu khảo sát' }).click();
	await expectRefusal(page, { linked: ['consent'], says: CONSENT });
	// every answer is still there: only the box is left to tick
	await expect(page.locator('textarea').first()).toHaveValue(typed);
	await expect(page.locator('[data-question] input:checked').first()).toBeChecked();
});

withAndWithoutScript('a sign-in with a wrong password', async (page) => {
	// an address of nobody, so that the demo accounts are never throttled by this test
	const email = `khong-co-${unique()}@demo.civicvoice.vn`;
	await page.goto('/sign-in');
	await submitSignIn(page, email, 'mat-khau-sai-123');
	await expectRefusal(page, {
		kept: { email },
		says: 'Thư điện tử hoặc mật khẩu không đúng.'
	});
	await expect(page.locator('#field-password')).toHaveValue('');
});

withAndWithoutScript('a new wave with an invalid code', async (page) => {
	await signIn(page, DEMO.analyst);
	await page.goto('/fieldwork/waves/new');
	// every required field is filled, so the browser lets it through; the server refuses the code
	await page.getByLabel('Mã đợt').fill('X');
	await page.getByLabel('Tên đợt (tiếng Việt)').fill('Đợt thử nghiệm');
	await page.getByLabel('Tên đợt (tiếng Anh)').fill('Trial wave');
	await page.getByLabel('Đơn vị hành chính thuộc phạm vi').selectOption('00913');
	await page.getByRole('button', { name: 'Tạo đợt khảo sát' }).click();
	await expectRefusal(page, {
		linked: ['slug'],
		kept: { slug: 'X', titleVi: 'Đợt thử nghiệm', titleEn: 'Trial wave', units: '00913' }
	});
});

withAndWithoutScript('design weights of a fieldwork wave with a wrong weight', async (page) => {
	await signIn(page, DEMO.analyst);
	await page.goto('/fieldwork');
	await page.getByRole('link', { name: 'Khảo sát PAPI tỉnh Tuyên Quang, đợt năm 2025' }).click();
	// the weight fields have no `required` nor pattern: the weight is refused by the server,
	// JavaScript or not
	await page.locator('input[name="weight_00913"]').fill('1,2,5');
	await page.getByRole('button', { name: 'Lưu trọng số và tính lại kết quả' }).click();
	await expectRefusal(page, {
		linked: ['weight_00913'],
		kept: { weight_00913: '1,2,5' },
		says: 'cần một số lớn hơn 0'
	});
});
