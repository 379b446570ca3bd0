import { createHash } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect, test, type Browser, type Page } from '@playwright/test';
import {
	draftDisclosure,
	expectNoAxeViolations,
	QA_STAFF,
	signIn,
	sendDisclosureForReview,
	unique
} from './helpers';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const PDF_SHA = createHash('sha256').update(PDF).digest('hex');
const CSV = Buffer.from(
	'Nội dung;Dự toán năm (triệu đồng);Thực hiện quý (triệu đồng)\nChi đầu tư phát triển;3.200;812\n=HYPERLINK("http://x.example","bấm");1;2\n'
);

async function staff(browser: Browser, email: string) {
	const page = await (await browser.newContext()).newPage();
	await signIn(page, email);
	return page;
}

function newDisclosure(page: Page, title: string, files: Parameters<Page['setInputFiles']>[1]) {
	return draftDisclosure(page, {
		title,
		period: '2025-Q4',
		effective: '2026-01-10',
		summary: 'Số liệu thu, chi ngân sách xã quý 4 năm 2025.',
		body: 'Căn cứ **Thông tư 343/2016/TT-BTC**.',
		files
	});
}

test('an official publishes a budget with a PDF and a CSV table; it is corrected, then withdrawn', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const official = await staff(browser, QA_STAFF.communeOfficial);
	const title = `Thực hiện ngân sách xã Vị Xuyên quý 4/2025 (${unique()})`;
	await newDisclosure(official, title, [
		{ name: 'bao-cao.pdf', mimeType: 'application/pdf', buffer: PDF },
		{ name: 'ngan-sach.csv', mimeType: 'text/csv', buffer: CSV }
	]);
	await expect(official.getByRole('heading', { level: 1 })).toHaveText(title);
	await expect(official.getByText(PDF_SHA)).toBeVisible();
	await sendDisclosureForReview(official);
	const staffUrl = official.url().replace(/\?.*$/, '');

	// another agency's official may neither open nor change it
	const other = await staff(browser, QA_STAFF.otherOfficial);
	expect((await other.goto(staffUrl))?.status()).toBe(403);
	const post = await other.request.post(`${staffUrl}?/save`, {
		headers: { origin: new URL(staffUrl).origin, accept: 'text/html' },
		multipart: {
			title: 'Sửa trái phép',
			summary: 'Không được phép sửa',
			effectiveOn: '2026-01-10'
		}
	});
	expect(post.status()).toBe(403);

	// the approver is offered what they may do: approve or return, not the drafting form
	const approver = await staff(browser, QA_STAFF.communeApprover);
	await approver.goto('/officials/disclosures/new');
	await expect(approver.getByText('Chỉ cán bộ soạn thảo của cơ quan tạo được')).toBeVisible();
	await expect(approver.getByRole('button', { name: 'Tạo dự thảo' })).toHaveCount(0);
	await approver.goto(staffUrl);
	await expect(approver.getByRole('button', { name: 'Trình duyệt' })).toHaveCount(0);
	await expect(approver.getByRole('heading', { name: 'Duyệt và công bố thông tin' })).toBeVisible();
	await approver.getByRole('button', { name: 'Duyệt và công bố' }).click();
	const published = approver.getByRole('status');
	await expect(published).toContainText('Đã công bố — xem trang công khai.');
	await expect(published.getByRole('link', { name: 'Xem trang công khai' })).toBeVisible();
	await expect(approver.getByText('Đã công khai, phiên bản 1').first()).toBeVisible();

	// the public page: the table, the file with its checksum
	const id = staffUrl.split('/').pop()!;
	const visitor = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
	await visitor.goto(`/disclosures/${id}`);
	await expect(visitor.getByRole('heading', { level: 1 })).toHaveText(title);
	const table = visitor.getByRole('table', { name: 'ngan-sach.csv' });
	await expect(table.getByRole('columnheader', { name: 'Dự toán năm (triệu đồng)' })).toBeVisible();
	await expect(table.getByRole('rowheader', { name: 'Chi đầu tư phát triển' })).toBeVisible();
	await expect(table.getByRole('cell', { name: '3.200' })).toBeVisible();
	await expect(visitor.getByRole('link', { name: 'bao-cao.pdf' })).toBeVisible();
	await expect(visitor.getByText(PDF_SHA)).toBeVisible();
	const download = await visitor.request.get(
		(await visitor.getByRole('link', { name: 'bao-cao.pdf' }).getAttribute('href'))!
	);
	expect(
		createHash('sha256')
			.update(await download.body())
			.digest('hex')
	).toBe(PDF_SHA);
	expect(download.headers()['content-disposition']).toMatch(/^attachment;/);
	// the formula cell comes back neutralised in the CSV export
	const csv = await (
		await visitor.request.get(
			(await visitor.getByRole('link', { name: 'Tải bảng dạng CSV' }).getAttribute('href'))!
		)
	).text();
	expect(csv).toContain(`'=HYPERLINK`);

	// a correction is a second version; the public sees both
	await official.goto(staffUrl);
	await official.getByLabel('Nội dung đính chính').fill('Sửa số thực hiện chi đầu tư');
	await official.getByRole('button', { name: 'Tạo phiên bản đính chính' }).click();
	await expect(official.getByRole('status')).toContainText('Đã mở phiên bản đính chính.');
	await official.getByLabel('Tiêu đề').fill(`${title} — đính chính`);
	await sendDisclosureForReview(official, 2);
	await approver.goto(staffUrl);
	await approver.getByRole('button', { name: 'Duyệt và công bố' }).click();
	await expect(approver.getByText('Đã công khai, phiên bản 2').first()).toBeVisible();
	await visitor.goto(`/disclosures/${id}`);
	const history = visitor.getByRole('region', { name: 'Lịch sử phiên bản' });
	await expect(history.getByRole('listitem').filter({ hasText: 'phiên bản 2' })).toBeVisible();
	await expect(history.getByRole('listitem').filter({ hasText: 'phiên bản 1' })).toBeVisible();
	await expect(history.getByText('Sửa số thực hiện chi đầu tư')).toBeVisible();

	// withdrawal needs a reason, and the item stays listed with it
	await approver.goto(staffUrl);
	await approver.getByLabel('Lý do thu hồi (công khai)').fill('Công bố nhầm kỳ báo cáo.');
	await approver.getByRole('button', { name: 'Thu hồi', exact: true }).click();
	await expect(approver.getByRole('status')).toContainText('Đã thu hồi thông tin');
	await expect(approver.getByText('Công bố nhầm kỳ báo cáo.').first()).toBeVisible();
	await visitor.goto(`/disclosures/${id}`);
	await expect(visitor.getByText('Công bố nhầm kỳ báo cáo.')).toBeVisible();
	await visitor.goto(`/disclosures?q=${encodeURIComponent('dinh chinh')}`);
	await expect(visitor.getByRole('link', { name: `${title} — đính chính` })).toBeVisible();
	await expect(visitor.getByText('Đã thu hồi').first()).toBeVisible();
});

test('unsafe uploads are refused or neutralised, each with a clear message', async ({
	browser
}) => {
	const official = await staff(browser, QA_STAFF.communeOfficial);
	// a Windows program renamed to .pdf
	await newDisclosure(official, 'Báo cáo có tệp giả mạo', [
		{ name: 'bao-cao.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ\x90\x00\x03') }
	]);
	// the summary at the top says it, and so does the file field
	const summary = official.getByRole('alert');
	await expect(summary).toContainText(/Thêm tệp: Tệp “bao-cao.pdf” không phải PDF/);
	await expect(official.locator('#field-files-error')).toContainText('không phải PDF');
	await expect(official.getByLabel('Tiêu đề')).toHaveValue('Báo cáo có tệp giả mạo');
	// larger than 15 MB
	await official.getByLabel('Thêm tệp').setInputFiles({
		name: 'rat-lon.pdf',
		mimeType: 'application/pdf',
		buffer: Buffer.concat([PDF, Buffer.alloc(15 * 1024 * 1024)])
	});
	await official.getByRole('button', { name: 'Tạo dự thảo' }).click();
	await expect(summary).toContainText(/Tệp “rat-lon.pdf” lớn quá 15 MB/);
	// a name that tries to climb out of the store: kept as a plain name
	await official.getByLabel('Thêm tệp').setInputFiles({
		name: '../../../etc/passwd.csv',
		mimeType: 'text/csv',
		buffer: CSV
	});
	await official.getByRole('button', { name: 'Tạo dự thảo' }).click();
	await expect(official.getByRole('heading', { level: 1 })).toHaveText('Báo cáo có tệp giả mạo');
	await expect(official.getByText('passwd.csv', { exact: false }).first()).toBeVisible();
	await expect(official.getByText('../')).toHaveCount(0);
});

test('the compliance view marks the missing quarterly budget as overdue', async ({
	browser,
	page
}) => {
	const official = await staff(browser, QA_STAFF.communeOfficial);
	await official.goto('/officials/disclosures/compliance?state=overdue');
	const row = official
		.getByRole('row')
		.filter({ has: official.getByRole('rowheader', { name: 'Xã Vị Xuyên' }) })
		.filter({ hasText: 'Tình hình thực hiện dự toán ngân sách xã hằng quý' })
		.filter({ hasText: 'Quý III/2026' });
	await expect(row).toContainText('Quá hạn');
	await page.goto('/disclosures/compliance');
	await expect(page.getByRole('table', { name: 'Theo loại thông tin' })).toBeVisible();
	await expectNoAxeViolations(page);
});

test('open data validates against its schema, and axe finds nothing on the public pages', async ({
	page,
	request
}) => {
	const schema = await (await request.get('/api/disclosures/schema.json')).json();
	const ajv = new Ajv2020({ strict: false });
	const list = await (await request.get('/api/disclosures')).json();
	expect(list.items.length).toBeGreaterThan(0);
	const validate = ajv.compile(schema.$defs.list);
	expect(validate(list), JSON.stringify(validate.errors)).toBe(true);
	const item = await (await request.get(`/api/disclosures/${list.items[0].id}`)).json();
	const validateItem = ajv.compile(schema.$defs.item);
	expect(validateItem(item), JSON.stringify(validateItem.errors)).toBe(true);
	const feed = await (await request.get('/disclosures/feed.xml')).text();
	expect(feed).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');

	for (const path of ['/disclosures', '/disclosures?q=ngan+sach&period=2026']) {
		await page.goto(path);
		await expectNoAxeViolations(page);
	}
	await page.goto('/disclosures?q=du+toan+ngan+sach+xa+vi+xuyen');
	await page.getByRole('link', { name: 'Dự toán ngân sách xã Vị Xuyên năm 2026' }).click();
	await expect(page.getByRole('table', { name: 'du-toan-ngan-sach-2026.csv' })).toBeVisible();
	await expectNoAxeViolations(page);
	// "ask about this" opens the question form about it
	await page.getByRole('link', { name: 'Hỏi về thông tin này' }).click();
	await expect(page.getByLabel('Tiêu đề câu hỏi')).toHaveValue(
		'Hỏi về: Dự toán ngân sách xã Vị Xuyên năm 2026'
	);
	await expect(page.getByLabel('Địa bàn')).toHaveValue(/\d+/);
});

test('an admin adds a disclosure type, which officials can then publish', async ({ browser }) => {
	const admin = await staff(browser, 'admin@demo.civicvoice.vn');
	await admin.goto('/admin/disclosure-types');
	const code = `ke-hoach-dau-tu-${unique()}`;
	await admin.locator('#field-code').fill(code);
	await admin.getByLabel('Tên (tiếng Việt)').fill('Kế hoạch đầu tư công hằng quý');
	await admin.getByLabel('Tên (tiếng Anh)').fill('Quarterly public investment plan');
	await admin.getByLabel('Căn cứ pháp lý (tiếng Việt)').fill('Luật Đầu tư công 2024');
	await admin.getByLabel('Căn cứ pháp lý (tiếng Anh)').fill('Public Investment Law 2024');
	await admin.getByLabel('Cấp phải công khai').selectOption('commune');
	await admin.getByLabel('Tần suất').selectOption('quarterly');
	await admin.getByRole('button', { name: 'Thêm loại thông tin' }).click();
	await expect(admin.getByRole('alert')).toContainText(
		'Loại thông tin hằng năm, hằng quý cần nơi tính hạn'
	);
	await expect(admin.getByLabel('Tên (tiếng Việt)')).toHaveValue('Kế hoạch đầu tư công hằng quý');
	await admin.getByLabel('Tính hạn từ').selectOption('end');
	await admin.getByLabel('Số ngày').fill('20');
	await admin.getByRole('button', { name: 'Thêm loại thông tin' }).click();
	await expect(admin.getByRole('rowheader', { name: new RegExp(code) })).toBeVisible();

	const official = await staff(browser, QA_STAFF.communeOfficial);
	await official.goto('/officials/disclosures/new');
	await expect(
		official
			.getByLabel('Loại thông tin')
			.getByRole('option', { name: 'Kế hoạch đầu tư công hằng quý' })
	).toHaveCount(1);
});
