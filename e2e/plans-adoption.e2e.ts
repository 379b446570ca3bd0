import { expect, test, type Browser } from '@playwright/test';
import { createPlan, expectNoAxeViolations, signIn, unique } from './helpers';

const OFFICIAL = 'canbo.noivu@demo.civicvoice.vn';
const APPROVER = 'lanhdao.noivu@demo.civicvoice.vn';

// today in Vietnam, and its quarter: the plan is adopted today
const today = new Date(Date.now() + 7 * 3600_000);
const year = today.getUTCFullYear();
const quarter = Math.floor(today.getUTCMonth() / 3) + 1;
const ROMAN = ['I', 'II', 'III', 'IV'];

async function staff(browser: Browser, email: string) {
	const page = await (await browser.newContext()).newPage();
	await signIn(page, email);
	return page;
}

test('a new plan is a draft the public cannot see until the agency’s approver publishes it; its tasks report from the current quarter', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const official = await staff(browser, OFFICIAL);
	const title = `Kế hoạch nâng cao Chỉ số PAPI (dự thảo ${unique()})`;
	await createPlan(official, { title, frequency: 'quarterly' });
	await expect(official.getByRole('status')).toContainText('Kế hoạch là dự thảo, chưa công khai');
	const planUrl = official.url().replace(/\?.*$/, '');
	const id = new URL(planUrl).pathname.split('/').pop()!;

	// a draft: not on the public list, its page not found, and its author cannot publish it
	const visitor = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
	expect((await visitor.goto(`/plans/${id}`))!.status()).toBe(404);
	await visitor.goto('/plans');
	await expect(visitor.getByRole('link', { name: title })).toHaveCount(0);
	await expect(official.getByText('chờ lãnh đạo cơ quan')).toBeVisible();
	await expect(official.getByRole('button', { name: 'Duyệt và công khai kế hoạch' })).toHaveCount(
		0
	);
	const refused = await official.request.post(`${planUrl}?/status`, {
		headers: { origin: new URL(planUrl).origin, accept: 'text/html' },
		form: { status: 'active' }
	});
	expect(refused.status()).toBe(403);

	// a task: its report form offers the quarters from today's and starts on it
	await official.goto(`${planUrl}/tasks/new`);
	await official
		.getByLabel('Nhiệm vụ, giải pháp')
		.fill('Niêm yết công khai thủ tục hành chính tại xã.');
	await official
		.getByLabel('Cơ quan chủ trì')
		.selectOption({ label: 'Sở Nội vụ tỉnh Tuyên Quang' });
	await official.getByRole('button', { name: 'Thêm nhiệm vụ' }).click();
	await expect(official).toHaveURL(`${planUrl}?done=task`);
	await official
		.getByRole('link', { name: /Niêm yết công khai thủ tục/ })
		.first()
		.click();
	const period = official.getByLabel('Kỳ');
	await expect(period).toHaveValue(`${year}-Q${quarter}`);
	await expect(period.locator('option:checked')).toHaveText(`Quý ${ROMAN[quarter - 1]}/${year}`);
	const offered = await period
		.locator('option')
		.evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
	expect(offered).toEqual(Array.from({ length: 5 - quarter }, (_, i) => `${year}-Q${quarter + i}`));
	await expect(official.getByText('Quá hạn')).toHaveCount(0);

	// the approver of the agency publishes it: public from today
	const approver = await staff(browser, APPROVER);
	await approver.goto(planUrl);
	await approver.getByRole('button', { name: 'Duyệt và công khai kế hoạch' }).click();
	await expect(approver.getByRole('status')).toContainText('Đã duyệt và công khai kế hoạch');
	await expect(approver.getByText('Công khai từ ngày')).toContainText(String(year));
	expect((await visitor.goto(`/plans/${id}`))!.status()).toBe(200);
	await expect(visitor.getByRole('heading', { level: 1 })).toHaveText(title);
	await visitor.goto('/plans');
	await expect(visitor.getByRole('link', { name: title })).toBeVisible();
	const reader = await (await browser.newContext()).newPage();
	await reader.goto(`/plans/${id}`);
	await expectNoAxeViolations(reader);
});

test('the dashboard and the printed report use the latest wave with results, and another can be chosen', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const official = await staff(browser, OFFICIAL);
	const title = `Kế hoạch theo đợt khảo sát (${unique()})`;
	await createPlan(official, { title, frequency: 'quarterly' });

	// the demo's two closed PAPI waves of the province, newest first
	const picker = official.getByLabel('Đợt khảo sát');
	const options = await picker.locator('option').allTextContents();
	expect(options.map((o) => o.trim())).toEqual([
		'Khảo sát PAPI tỉnh Tuyên Quang, đợt 1 năm 2026 (400 phiếu)',
		'Khảo sát PAPI tỉnh Tuyên Quang, đợt năm 2025 (360 phiếu)'
	]);
	const scores = official.getByRole('table', {
		name: 'Chỉ số nội dung, nội dung thành phần và nhiệm vụ'
	});
	const firstScore = () => scores.getByRole('row').nth(1).getByRole('cell').first().textContent();
	await expect(
		official.getByText('Điểm theo đợt khảo sát: Khảo sát PAPI tỉnh Tuyên Quang, đợt 1 năm 2026.')
	).toBeVisible();
	const latest = await firstScore();
	expect(latest).toMatch(/\d/);

	await picker.selectOption({ label: options[1]!.trim() });
	await official.getByRole('button', { name: 'Xem', exact: true }).click();
	await expect(official).toHaveURL(/\?wave=\d+$/);
	await expect(
		official.getByText('Điểm theo đợt khảo sát: Khảo sát PAPI tỉnh Tuyên Quang, đợt năm 2025.')
	).toBeVisible();
	await expect(picker.locator('option:checked')).toHaveText(options[1]!.trim());
	const earlier = await firstScore();
	expect(earlier).toMatch(/\d/);
	expect(earlier).not.toBe(latest);

	// the printed report keeps the chosen wave, in the form of an administrative document
	await official.getByRole('link', { name: 'Báo cáo theo kỳ (in được)' }).click();
	await expect(official.getByRole('heading', { level: 2, name: /Kết quả chỉ số/ })).toContainText(
		'đợt năm 2025'
	);
	const doc = official.locator('article.print-report');
	await expect(doc).toContainText('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
	await expect(doc).toContainText('Độc lập - Tự do - Hạnh phúc');
	await expect(doc.locator('.doc-parent')).toHaveText('Ủy ban nhân dân tỉnh Tuyên Quang');
	await expect(doc.locator('.doc-agency')).toHaveText('Sở Nội vụ tỉnh Tuyên Quang');
	const month = today.getUTCMonth() + 1;
	await expect(doc.locator('.doc-date')).toHaveText(
		`Tuyên Quang, ngày ${String(today.getUTCDate()).padStart(2, '0')} tháng ${month < 3 ? `0${month}` : month} năm ${year}`
	);
	await expect(doc).toContainText('Nơi nhận:');
	await expect(doc.locator('.doc-signer-title')).toHaveText('Thủ trưởng cơ quan');
	await expect(doc.locator('.doc-number')).toHaveText(/^Số: …+\/BC-…+$/);

	// the number and the signatory, filled in for printing
	await official.getByLabel('Số, ký hiệu văn bản').fill('15/BC-SNV');
	await official.getByLabel('Chức vụ người ký').fill('Giám đốc');
	await official.getByLabel('Họ và tên người ký').fill('Nguyễn Văn Bình');
	await official.getByRole('button', { name: 'Xem', exact: true }).click();
	await expect(doc.locator('.doc-number')).toHaveText('Số: 15/BC-SNV');
	await expect(doc.locator('.doc-signer-title')).toHaveText('Giám đốc');
	await expect(doc.locator('.doc-signer-name')).toHaveText('Nguyễn Văn Bình');
	await expect(official.getByRole('heading', { level: 2, name: /Kết quả chỉ số/ })).toContainText(
		'đợt năm 2025'
	);

	// on paper: issuer beside the national motto, recipients beside the signature, on A4
	await official.emulateMedia({ media: 'print' });
	await official.setViewportSize({ width: 794, height: 1123 });
	const box = async (selector: string) => (await doc.locator(selector).boundingBox())!;
	expect((await box('.doc-issuer')).y).toBe((await box('.doc-nation')).y);
	expect((await box('.doc-recipients')).y).toBe((await box('.doc-signature')).y);
	expect((await box('.doc-signature')).x).toBeGreaterThan((await box('.doc-recipients')).x);
	// the report's own controls and the staff menu are not printed
	const screenOnly = await official.locator('.no-print').all();
	expect(screenOnly.length).toBeGreaterThanOrEqual(2);
	for (const element of screenOnly) await expect(element).toBeHidden();
	expect(await official.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
		794
	);
});
