import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { expect, test, type Page } from '@playwright/test';
import { readSheet, type ReadCell } from '../tests/unit/exports-workbook';
import { postAction } from './attack-helpers';
import { DEMO_LOGINS } from './authz/personas';
import { createPlan, expectNoAxeViolations, signIn, unique } from './helpers';

/**
 * Every export comes as CSV and as an Excel workbook. The workbook is read back cell by cell:
 * numbers are number cells with the display format of their precision (a share as a
 * percentage), days are dates, texts are strings (never formulas) and the header row is in the
 * reader's language; the CSV holds the same numbers rounded as the page shows them.
 */
const SIPAS_2025 = 'Khảo sát sự hài lòng của người dân xã Vị Xuyên năm 2025 (phiếu 5 yếu tố)';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Clicks one of an export's two links and returns the downloaded bytes and the file's name. */
async function download(page: Page, what: RegExp, link: 'Tải CSV' | 'Tải Excel (.xlsx)') {
	const item = page.locator('li, p').filter({ hasText: what }).last();
	const [file] = await Promise.all([
		page.waitForEvent('download'),
		item.getByRole('link', { name: link, exact: true }).click()
	]);
	return { bytes: await readFile((await file.path())!), name: file.suggestedFilename() };
}

/** Excel's day number of a calendar day. */
const serial = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000 + 25_569;

const decimals = (text: string) => /\.(\d+)$/.exec(text)?.[1]?.length ?? 0;

test('an analyst downloads a wave’s results as a workbook of typed cells and as rounded CSV', async ({
	page,
	context,
	baseURL
}) => {
	test.setTimeout(120_000);
	await signIn(page, DEMO_LOGINS.analyst!);
	await page.goto('/analytics');
	await page.getByRole('link', { name: SIPAS_2025 }).click();
	await page.waitForURL(/\/analytics\/waves\/\d+$/);
	const wave = page.url();
	const results = /^Kết quả, cùng quy tắc ẩn nhóm nhỏ/;
	await expect(page.getByRole('link', { name: 'Tải Excel (.xlsx)' }).first()).toBeVisible();
	await expectNoAxeViolations(page);

	const xlsx = await download(page, results, 'Tải Excel (.xlsx)');
	expect(xlsx.name).toBe('results-sipas-vi-xuyen-2025.xlsx');
	const sheet = readSheet(xlsx.bytes);
	const header = [
		'Bảng',
		'Nhóm',
		'TT',
		'Chỉ số',
		'Thang đo',
		'Giá trị',
		'Cận dưới khoảng tin cậy 95%',
		'Cận trên khoảng tin cậy 95%',
		'Sai số chuẩn',
		'Số người trả lời',
		'Ghi chú'
	];
	expect(sheet[0]!.map((c) => c.value)).toEqual(header);
	expect(sheet[0]!.every((c) => c.kind === 'string')).toBe(true);
	expect(sheet.flat().filter((c) => c.kind === 'formula')).toEqual([]);

	const column = (row: ReadCell[], index: number) =>
		row.find((c) => c.ref.replace(/\d+$/, '') === String.fromCharCode(65 + index));
	const shown = sheet.slice(1).filter((r) => column(r, 5)?.kind === 'number');
	expect(shown.length).toBeGreaterThan(3);
	for (const row of shown) {
		// a share: a fraction shown as a percentage with one decimal, its SE with two
		expect(column(row, 4)!.value).toBe('phần trăm (0–100)');
		for (const i of [5, 6, 7])
			expect(column(row, i)).toMatchObject({ kind: 'number', numFmt: '0.0%' });
		expect(column(row, 8)).toMatchObject({ kind: 'number', numFmt: '0.00%' });
		expect(column(row, 9)).toMatchObject({ kind: 'number', numFmt: '#,##0' });
		const value = column(row, 5)!.value as number;
		expect(value).toBeGreaterThanOrEqual(0);
		expect(value).toBeLessThanOrEqual(1);
		// stored as the rounded percentage: no more than three decimals of the fraction
		expect(decimals(String(value))).toBeLessThanOrEqual(3);
	}
	// the page shows the same first value ("87,3 %" is 0.873 in the workbook)
	const first = shown[0]!;
	const onPage = (await page
		.locator('#measures tbody tr')
		.filter({ hasText: String(column(first, 3)!.value) })
		.first()
		.locator('td')
		.first()
		.textContent())!.trim();
	expect(Number(onPage.replace(/\s*%$/, '').replace(',', '.')) / 100).toBeCloseTo(
		column(first, 5)!.value as number,
		6
	);

	// the CSV: the same rows, values in percent rounded as shown, never a long binary fraction
	const csv = await download(page, results, 'Tải CSV');
	expect(csv.name).toBe('results-sipas-vi-xuyen-2025.csv');
	const text = csv.bytes.toString('utf8');
	expect(text).not.toMatch(/\d\.\d{4,}/);
	const rows = parse(text, { bom: true }) as string[][];
	expect(rows[0]).toEqual(header);
	expect(rows).toHaveLength(sheet.length);
	for (const [i, row] of rows.slice(1).entries()) {
		const cells = sheet[i + 1]!;
		if (!row[5]) {
			expect(column(cells, 5)).toBeUndefined();
			continue;
		}
		for (const j of [5, 6, 7]) expect(decimals(row[j]!), row.join(' | ')).toBeLessThanOrEqual(1);
		expect(decimals(row[8]!)).toBeLessThanOrEqual(2);
		expect(Number(row[5])).toBeCloseTo((column(cells, 5)!.value as number) * 100, 9);
		expect(Number(row[9])).toBe(column(cells, 9)!.value);
	}

	// in English, the same workbook speaks English
	await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'en', url: baseURL! }]);
	const english = await page.request.get(`${wave}/results.csv?format=xlsx`);
	expect(english.headers()['content-type']).toBe(XLSX);
	const englishSheet = readSheet(await english.body());
	expect(englishSheet[0]![0]!.value).toBe('Table');
	expect(englishSheet[0]!.map((c) => c.value)).not.toEqual(header);
	expect(englishSheet.length).toBe(sheet.length);
	await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'vi', url: baseURL! }]);

	// another format is refused, not guessed
	expect((await page.request.get(`${wave}/results.csv?format=xls`)).status()).toBe(400);
});

test('the same access checks guard the workbook as the CSV', async ({ page }) => {
	await signIn(page, DEMO_LOGINS.officialA!);
	for (const path of ['/results.csv?format=xlsx', '/microdata.csv?format=xlsx'])
		expect((await page.request.get(`/analytics/waves/1${path}`)).status(), path).toBe(403);
});

test('an official downloads a plan’s task matrix as a workbook: text as text, dates and scores typed', async ({
	page,
	baseURL
}) => {
	test.setTimeout(120_000);
	await signIn(page, DEMO_LOGINS.officialA!);
	const title = `Kế hoạch tải Excel ${unique()}`;
	await createPlan(page, { title, frequency: 'yearly' });
	const planUrl = page.url().replace(/\?.*$/, '');
	const formula = '=HYPERLINK("http://x.example/a","bấm")';
	const matrix = [
		'TT;Chỉ số nội dung/Nội dung thành phần;Nhiệm vụ, giải pháp;Cơ quan chủ trì;Cơ quan phối hợp;Thời gian thực hiện;Chỉ tiêu;Sản phẩm',
		'1.1;1.1. Tri thức công dân;Phổ biến Luật Thực hiện dân chủ ở cơ sở;Sở Nội vụ tỉnh Tuyên Quang;;23/5/2027;100% xã;Báo cáo',
		`1.2;1.2. Cơ hội tham gia;"${formula.replaceAll('"', '""')}";Sở Nội vụ tỉnh Tuyên Quang;;Thường xuyên;;`
	];
	const imported = await postAction(page.request, baseURL!, planUrl, 'import', {
		multipart: {
			matrix: {
				name: 'ke-hoach.csv',
				mimeType: 'text/csv',
				buffer: Buffer.from(matrix.join('\r\n') + '\r\n')
			}
		}
	});
	expect(imported.type, JSON.stringify(imported)).toBe('success');
	await page.goto(planUrl);
	const id = planUrl.split('/').pop();

	const xlsx = await download(page, /^Ma trận nhiệm vụ:/, 'Tải Excel (.xlsx)');
	expect(xlsx.name).toBe(`ke-hoach-${id}.xlsx`);
	const sheet = readSheet(xlsx.bytes);
	expect(sheet[0]!.map((c) => c.value)).toEqual([
		'TT',
		'Chỉ số nội dung/Nội dung thành phần',
		'Nhiệm vụ, giải pháp',
		'Cơ quan chủ trì',
		'Cơ quan phối hợp',
		'Thời gian thực hiện',
		'Chỉ tiêu',
		'Sản phẩm',
		'Tình trạng',
		'Hạn hoàn thành',
		'Điểm số đợt gần nhất'
	]);
	const [dated, continuous] = [sheet[1]!, sheet[2]!];
	const at = (row: ReadCell[], col: string) =>
		row.find((c) => c.ref === `${col}${row[0]!.ref.slice(1)}`);
	// "1.1" stays the plan's number, not the number 1.1; the formula stays its text
	expect(at(dated, 'A')).toMatchObject({ kind: 'string', value: '1.1' });
	expect(at(continuous, 'C')).toMatchObject({ kind: 'string', value: formula });
	expect(sheet.flat().filter((c) => c.kind === 'formula')).toEqual([]);
	// the due date read from "23/5/2027" is a date cell
	expect(at(dated, 'J')).toMatchObject({
		kind: 'number',
		value: serial('2027-05-23'),
		numFmt: 'dd/mm/yyyy'
	});
	expect(at(continuous, 'J')).toBeUndefined();
	// the latest PAPI score of 1.1 (points out of a third of 10) with the page's two decimals
	const score = at(dated, 'K')!;
	expect(score).toMatchObject({ kind: 'number', numFmt: '#,##0.00' });
	expect(decimals(String(score.value))).toBeLessThanOrEqual(2);
	// the dashboard's row of the sub-dimension (the task list also names it), its score cell
	const shownScore = (await page
		.getByRole('row', { name: /^1\.1\.? Tri thức công dân/ })
		.locator('td')
		.filter({ hasText: /^\s*\d+,\d+/ })
		.first()
		.textContent())!.trim();
	// the cell reads "6,54 (6,30–6,78)": the value, then its interval
	expect(Number(shownScore.split(/\s/)[0]!.replace(',', '.'))).toBe(score.value);

	// the CSV: the same columns, the score rounded, and it still imports (the import's columns first)
	const csv = await download(page, /^Ma trận nhiệm vụ:/, 'Tải CSV');
	expect(csv.name).toBe(`ke-hoach-${id}.csv`);
	const rows = parse(csv.bytes.toString('utf8'), { bom: true }) as string[][];
	expect(rows[1]!.slice(-2)).toEqual(['2027-05-23', String(score.value)]);
	expect(rows[2]![2]).toBe(`'${formula}`);
});

test('invitation codes come as a workbook too, each code and link a text cell', async ({
	page,
	baseURL
}) => {
	await signIn(page, DEMO_LOGINS.analyst!);
	await page.goto('/fieldwork/waves/new');
	const versionId = await page
		.getByLabel(/Bộ phiếu/)
		.locator('option')
		.first()
		.getAttribute('value');
	const slug = `ma-excel-${unique()}`;
	const created = await postAction(page.request, baseURL!, '/fieldwork/waves/new', 'default', {
		form: {
			slug,
			titleVi: 'Mã mời dạng Excel',
			titleEn: 'Invitations as Excel',
			versionId: versionId!,
			layout: 'paged',
			accessMode: 'invitation',
			units: '00913'
		}
	});
	expect(created.type, JSON.stringify(created)).toBe('redirect');
	const opened = await postAction(page.request, baseURL!, created.location!, 'open', { form: {} });
	expect(opened.type).toBe('success');
	await page.goto(created.location!);
	await page.getByLabel(/Số mã cần tạo/).fill('3');
	const [file] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: 'Tạo và tải về danh sách mã (Excel .xlsx)' }).click()
	]);
	expect(file.suggestedFilename()).toBe(`invitations-${slug}.xlsx`);
	const sheet = readSheet(await readFile((await file.path())!));
	expect(sheet.map((r) => r.map((c) => c.kind))).toEqual(Array(4).fill(['string', 'string']));
	expect(sheet[0]!.map((c) => c.value)).toEqual(['code', 'url']);
	for (const [code, url] of sheet.slice(1).map((r) => r.map((c) => String(c.value))))
		expect(url).toBe(`${baseURL}/surveys/${slug}?code=${code}`);
	// anything but csv or xlsx is refused
	const refused = await page.request.post(`${created.location}/invitations`, {
		headers: { origin: baseURL! },
		form: { count: '1', format: 'pdf' }
	});
	expect(refused.status()).toBe(400);
});
