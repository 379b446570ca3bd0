import { expect, type Page } from '@playwright/test';
import { createPlan, QA_STAFF, signIn, unique } from './helpers';
import { expectRefusal, withAndWithoutScript } from './refusal-helpers';

/**
 * The staff forms of disclosures and plans, refused on a 360 px phone with and without
 * JavaScript: the summary takes focus at the top, names and links each field, and what was typed
 * stays. Every value sent satisfies the browser's own checks (`required`), so each refusal is
 * the server's.
 */

/** A quarterly commune budget report of xã Vị Xuyên, all valid but what `changes` says. */
async function fillDisclosure(page: Page, changes: { period: string; title: string }) {
	await page.goto('/officials/disclosures/new');
	await page
		.getByLabel('Loại thông tin')
		.selectOption({ label: 'Tình hình thực hiện dự toán ngân sách xã hằng quý' });
	await page.getByLabel('Địa bàn').selectOption({ label: 'Xã Vị Xuyên' });
	await page.getByLabel('Kỳ', { exact: true }).fill(changes.period);
	await page.getByLabel('Tiêu đề').fill(changes.title);
	await page.getByLabel('Tóm tắt').fill('Số liệu thu, chi ngân sách xã quý 3 năm 2026.');
	await page.getByLabel('Nội dung', { exact: true }).fill('Căn cứ Thông tư 343/2016/TT-BTC.');
	await page.getByLabel('Ngày có hiệu lực').fill('2026-10-10');
	await page.getByRole('button', { name: 'Tạo dự thảo' }).click();
}

withAndWithoutScript('a disclosure with the period “Quý 3/2026”', async (page) => {
	await signIn(page, QA_STAFF.communeOfficial);
	const title = `Thực hiện ngân sách xã quý 3/2026 (${unique()})`;
	await fillDisclosure(page, { period: 'Quý 3/2026', title });
	await expectRefusal(page, {
		says: 'Kỳ: Kỳ không hợp với loại thông tin',
		linked: ['period'],
		kept: { period: 'Quý 3/2026', title, effectiveOn: '2026-10-10' }
	});
	await expect(page.locator('#field-period')).toHaveAttribute('aria-invalid', 'true');
});

withAndWithoutScript('a disclosure with a title too short', async (page) => {
	await signIn(page, QA_STAFF.communeOfficial);
	await fillDisclosure(page, { period: '2026-Q3', title: 'Quý' });
	await expectRefusal(page, {
		says: 'Tiêu đề:',
		linked: ['title'],
		kept: { title: 'Quý', period: '2026-Q3' }
	});
});

withAndWithoutScript('a plan task with a title too short', async (page) => {
	await signIn(page, 'canbo.noivu@demo.civicvoice.vn');
	const plan = `Kế hoạch kiểm tra từ chối (${unique()})`;
	await createPlan(page, { title: plan, frequency: 'yearly' });
	await page.getByRole('link', { name: 'Thêm nhiệm vụ' }).first().click();
	await expect(page.getByRole('heading', { level: 1, name: 'Thêm nhiệm vụ' })).toBeVisible();
	await page.getByLabel('Nhiệm vụ, giải pháp').fill('Họp');
	await page.getByLabel('Cơ quan chủ trì').selectOption({ label: 'Sở Nội vụ tỉnh Tuyên Quang' });
	await page.locator('[name="timeline"]').fill('Quý 4/2026');
	await page.getByRole('button', { name: 'Thêm nhiệm vụ' }).click();
	await expectRefusal(page, {
		says: 'Nhiệm vụ, giải pháp:',
		linked: ['title'],
		kept: { title: 'Họp', timeline: 'Quý 4/2026' }
	});
});
