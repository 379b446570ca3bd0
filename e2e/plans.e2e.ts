import { expect, test } from '@playwright/test';
import { createPlan, expectNoAxeViolations, QA_STAFF, signIn, unique } from './helpers';

const NOI_VU = 'canbo.noivu@demo.civicvoice.vn';
const NOI_VU_APPROVER = 'lanhdao.noivu@demo.civicvoice.vn';
// the plan is adopted today: its first reporting period is the current quarter
const now = new Date(Date.now() + 7 * 3600_000);
const quarter = Math.floor(now.getUTCMonth() / 3) + 1;
const PERIOD = `${now.getUTCFullYear()}-Q${quarter}`;
const PERIOD_NAME = `Quý ${['I', 'II', 'III', 'IV'][quarter - 1]}/${now.getUTCFullYear()}`;

test('a plan’s task matrix is imported from the seed, linked to its sub-dimensions, reported on by its lead, and a weak sub-dimension gets a task', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const page = await (await browser.newContext()).newPage();
	await signIn(page, NOI_VU);
	const title = `Kế hoạch nâng cao Chỉ số PAPI năm 2026 (${unique()})`;
	// a high threshold, so that some sub-dimensions of the demo data are weak
	await createPlan(page, { title, frequency: 'quarterly', weakBelowPercent: '95' });
	await expect(page.getByRole('status')).toContainText('Đã tạo kế hoạch.');
	const planUrl = page.url().replace(/\?.*$/, '');

	// a malformed matrix: every problem with its line, nothing imported
	await page.getByLabel('Tệp CSV (UTF-8)').setInputFiles('e2e/fixtures/ke-hoach-loi.csv');
	await page.getByRole('button', { name: 'Nhập', exact: true }).click();
	const refused = page.getByRole('alert');
	await expect(refused).toContainText('Dòng 3: không tìm thấy cơ quan chủ trì “Sở Không Có Thật”');
	await expect(refused).toContainText('Dòng 4: ô nhiệm vụ để trống');
	await expect(page.getByRole('link', { name: /Tuyên truyền pháp luật/ })).toHaveCount(0);

	// the seed's matrix
	await page.getByLabel('Tệp CSV (UTF-8)').setInputFiles('e2e/fixtures/ke-hoach-papi-bac-kan.csv');
	await page.getByRole('button', { name: 'Nhập', exact: true }).click();
	await expect(page.getByText('Đã nhập 7 nhiệm vụ.')).toBeVisible();
	const poorRow = page.getByRole('row').filter({
		has: page.getByRole('rowheader', { name: /Công khai, minh bạch danh sách hộ nghèo/ })
	});
	await expect(poorRow.getByRole('link', { name: /bình xét, công nhận hộ nghèo/ })).toBeVisible();
	await expect(poorRow.getByRole('cell').first()).toContainText(/\d/);
	// each dimension followed by its own sub-dimensions, numbered as the matrix numbers them
	const scores = page.getByRole('table', {
		name: 'Chỉ số nội dung, nội dung thành phần và nhiệm vụ'
	});
	const numbers = (await scores.getByRole('rowheader').allTextContents()).map(
		(t) => t.trim().split(' ')[0]
	);
	expect(numbers.slice(0, 7)).toEqual(['1.', '1.1.', '1.2.', '1.3.', '1.4.', '2.', '2.1.']);
	expect(numbers.slice(-4)).toEqual(['8.', '8.1.', '8.2.', '8.3.']);
	await expect(poorRow.getByRole('rowheader')).toContainText(
		'2.2. Công khai, minh bạch danh sách hộ nghèo'
	);

	// a weak sub-dimension without a task is highlighted; one click creates its task
	const weak = page.locator('tr.weak').first();
	await expect(weak.getByText('Yếu, chưa có nhiệm vụ')).toBeVisible();
	const weakName = (await weak.getByRole('rowheader').textContent())!
		.replace('Yếu, chưa có nhiệm vụ', '')
		.trim();
	await weak.getByRole('link', { name: /Tạo nhiệm vụ cho/ }).click();
	await expect(page.getByLabel('Chỉ số nội dung/Nội dung thành phần')).not.toHaveValue('');
	await page
		.getByLabel('Nhiệm vụ, giải pháp')
		.fill('Tổ chức đối thoại với người dân về nội dung còn yếu.');
	await page.getByLabel('Cơ quan chủ trì').selectOption({ label: 'Sở Nội vụ tỉnh Tuyên Quang' });
	await page.getByRole('button', { name: 'Thêm nhiệm vụ' }).click();
	await expect(page).toHaveURL(`${planUrl}?done=task`);
	await expect(page.getByRole('status')).toContainText('Đã thêm nhiệm vụ vào kế hoạch');
	const fixed = page.getByRole('row').filter({ hasText: weakName }).first();
	await expect(fixed.getByRole('link', { name: /Tổ chức đối thoại/ })).toBeVisible();

	// the lead agency reports progress on its task
	await page.getByRole('link', { name: /Tiếp tục thực hiện tốt công tác tuyển dụng/ }).click();
	await page.getByLabel('Kỳ').selectOption(PERIOD);
	await page.getByLabel('Mức độ hoàn thành (%)').fill('60');
	await page.getByLabel('Kết quả thực hiện').fill('Đã tổ chức thi tuyển công chức cấp xã đợt 1.');
	await page.getByLabel('Đường dẫn minh chứng').fill('https://sonoivu.example.vn/thi-tuyen');
	await page.getByLabel('Ghi chú nội bộ (không công khai)').fill('Ghi chú nội bộ bí mật');
	// an old Excel file (an OLE compound file) as evidence: its own message, the report kept
	await page.getByLabel('Tệp minh chứng').setInputFiles({
		name: 'diem-thi.xls',
		mimeType: 'application/vnd.ms-excel',
		buffer: Buffer.concat([
			Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
			Buffer.alloc(504),
			Buffer.from('Workbook', 'utf16le')
		])
	});
	await page.getByRole('button', { name: 'Gửi báo cáo' }).click();
	await expect(page.getByRole('alert')).toContainText(
		'Tệp minh chứng: Tệp “diem-thi.xls” là tệp Excel, Word định dạng cũ (.xls, .doc)'
	);
	await expect(page.getByLabel('Mức độ hoàn thành (%)')).toHaveValue('60');
	await expect(page.getByLabel('Kỳ')).toHaveValue(PERIOD);
	await page.getByLabel('Tệp minh chứng').setInputFiles({
		name: 'ket-qua-thi-tuyen.pdf',
		mimeType: 'application/pdf',
		buffer: Buffer.from('%PDF-1.4\n%%EOF\n')
	});
	await page.getByRole('button', { name: 'Gửi báo cáo' }).click();
	await expect(page.getByRole('status')).toContainText(`Đã gửi báo cáo tiến độ kỳ ${PERIOD_NAME}`);
	const q3 = page
		.getByRole('row')
		.filter({ has: page.getByRole('rowheader', { name: PERIOD_NAME }) });
	await expect(q3).toContainText('60 %');
	await expect(q3).toContainText('Đã tổ chức thi tuyển');
	await expect(page.getByRole('link', { name: 'ket-qua-thi-tuyen.pdf' })).toBeVisible();

	// another agency cannot report on a task it does not lead
	await page.goto(planUrl);
	await page.getByRole('link', { name: /bình xét, công nhận hộ nghèo/ }).click();
	await expect(page.getByText('Chỉ cơ quan chủ trì báo cáo tiến độ nhiệm vụ này.')).toBeVisible();
	const taskUrl = page.url();
	const post = await page.request.post(`${taskUrl}?/report`, {
		headers: { origin: new URL(taskUrl).origin, accept: 'text/html' },
		form: { period: PERIOD, percent: '100', progress: 'Báo cáo thay cơ quan khác' }
	});
	expect(post.status()).toBe(403);
	// the commune, which leads it, can
	const commune = await (await browser.newContext()).newPage();
	await signIn(commune, QA_STAFF.communeOfficial);
	await commune.goto(taskUrl);
	await expect(commune.getByRole('button', { name: 'Gửi báo cáo' })).toBeVisible();
	// adopted today: nothing is overdue for the quarters before
	await expect(commune.getByText('Quá hạn')).toHaveCount(0);

	// the printable period report, and the public page without internal notes
	const id = new URL(planUrl).pathname.split('/').pop()!;
	await page.goto(`/officials/plans/${id}/report?period=${PERIOD}`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		`Báo cáo Kết quả thực hiện kế hoạch ${PERIOD_NAME}`
	);
	await expect(page.getByRole('row', { name: /tuyển dụng công chức/ })).toContainText('60 %');
	// the scores with their sub-dimensions, in the same order and numbers as the dashboard
	const printed = page.getByRole('table', {
		name: 'Chỉ số nội dung, nội dung thành phần và nhiệm vụ'
	});
	expect(
		(await printed.getByRole('rowheader').allTextContents()).map((t) => t.trim().split(' ')[0])
	).toEqual(numbers);
	await expect(printed.getByRole('rowheader').nth(1)).toHaveText('1.1. Tri thức công dân');
	// public once the agency's approver adopts it
	const approver = await (await browser.newContext()).newPage();
	await signIn(approver, NOI_VU_APPROVER);
	await approver.goto(planUrl);
	await approver.getByRole('button', { name: 'Duyệt và công khai kế hoạch' }).click();
	await expect(approver.getByRole('status')).toContainText('Đã duyệt và công khai kế hoạch');
	const visitor = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
	await visitor.goto(`/plans/${id}`);
	await expect(visitor.getByRole('heading', { level: 1 })).toHaveText(title);
	await expect(visitor.getByText('Đã tổ chức thi tuyển công chức cấp xã đợt 1.')).toBeVisible();
	expect(await visitor.content()).not.toContain('Ghi chú nội bộ bí mật');
	const reader = await (await browser.newContext()).newPage();
	await reader.goto(`/plans/${id}`);
	await expectNoAxeViolations(reader);
});
