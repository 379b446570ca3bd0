import { expect, test, type Page } from '@playwright/test';
import { DEMO, draftDisclosure, QA_STAFF, sendDisclosureForReview, unique } from './helpers';
import { routeFiles, staffPage } from './attack-helpers';
import { docx, docxParts, xlsx, xlsxParts, zip } from '../tests/unit/office-fixtures';

/**
 * Every route that serves stored files (a `files` or `tables` segment in the route tree) gets
 * ids that try to climb out of the store or reach another object's file; real files must come
 * with headers that keep the browser from running them, and uploads that lie about their type
 * are refused or served as their checked type.
 */
const FILE_ROUTES = routeFiles('+server.ts')
	.filter((r) => /\/(files|tables)\//.test(r.id))
	.map((r) => r.id);

const TRAVERSAL = [
	'..%2f..%2f..%2fetc%2fpasswd',
	'%2e%2e%2f%2e%2e%2fetc%2fpasswd',
	'....%2f%2f....%2f%2fetc%2fpasswd',
	'1%00',
	'%00',
	'%252e%252e%252fetc%252fpasswd',
	'..%5c..%5cwindows%5cwin.ini',
	'%2fetc%2fpasswd',
	'C:%5cwindows%5cwin.ini',
	'99999999999999999999',
	'2147483648',
	'9007199254740993',
	'-1',
	'0',
	'1e3',
	'0x1',
	'1.5',
	'abc',
	'%20',
	'1%20',
	'%ef%bc%91'
];

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const HTML = '<html><body><script>alert(document.cookie)</script></body></html>';

/** A draft budget report of xã Vị Xuyên with the given files (the approver publishes it). */
function draftWith(official: Page, title: string, files: Parameters<Page['setInputFiles']>[1]) {
	return draftDisclosure(official, { title, period: '2024-Q1', effective: '2024-04-10', files });
}

test('every file route is in the corpus below', () => {
	expect(FILE_ROUTES.length).toBeGreaterThanOrEqual(6);
	const covered = [
		'/(staff)/officials/plans/[id]/tasks/[tid]/files/[fid]',
		'/(staff)/officials/questions/[id]/files/[fid]',
		'/disclosures/[id]/files/[fid]',
		'/disclosures/[id]/tables/[fid]',
		'/questions/[code]/files/[id]',
		'/questions/track/[token]/files/[id]'
	];
	expect(FILE_ROUTES.filter((r) => !covered.includes(r))).toEqual([]);
});

test('traversal and foreign ids on every file route are 4xx, never 500 nor another file', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const official = await staffPage(browser, QA_STAFF.communeOfficial);
	const approver = await staffPage(browser, QA_STAFF.communeApprover);
	const stamp = unique();
	await draftWith(official, `Tệp A (${stamp})`, [
		{ name: 'a.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%A\n%%EOF\n') },
		{ name: 'a.csv', mimeType: 'text/csv', buffer: Buffer.from('x;y\na;1\n') }
	]);
	await expect(official.getByRole('heading', { level: 1 })).toHaveText(`Tệp A (${stamp})`);
	const staffUrl = official.url().replace(/\?.*$/, '');
	await sendDisclosureForReview(official);
	await approver.goto(staffUrl);
	await approver.getByRole('button', { name: 'Duyệt và công bố' }).click();
	await expect(approver.getByText('Đã công khai, phiên bản 1').first()).toBeVisible();
	const id = staffUrl.split('/').pop()!;
	await official.goto(`/disclosures/${id}`);
	const fileHref = (await official.getByRole('link', { name: 'a.pdf' }).getAttribute('href'))!;
	const tableHref = (await official
		.getByRole('link', { name: 'Tải bảng dạng CSV' })
		.getAttribute('href'))!;
	const fid = fileHref.split('/').pop()!;
	const tid = tableHref.replace(/\?.*$/, '').split('/').pop()!;

	// the real file: a download of its checked type, never run by the browser
	const problems: string[] = [];
	const real = await official.request.get(fileHref);
	const h = real.headers();
	if (real.status() !== 200) problems.push(`real file: ${real.status()}`);
	if (h['content-type'] !== 'application/pdf') problems.push(`type ${h['content-type']}`);
	if (
		!/^attachment; filename="a\.pdf"; filename\*=UTF-8''a\.pdf$/.test(
			h['content-disposition'] ?? ''
		)
	)
		problems.push(`disposition ${h['content-disposition']}`);
	if (h['x-content-type-options'] !== 'nosniff') problems.push('no nosniff');
	if (!/sandbox/.test(h['content-security-policy'] ?? '')) problems.push('no sandbox CSP');

	// the other disclosure's id with this file's id, and the reverse (IDOR)
	const other = (await (await official.request.get('/api/disclosures')).json()) as {
		items: { id: number }[];
	};
	const otherId = other.items.map((i) => i.id).find((i) => String(i) !== id) ?? 1;

	const anonymous = await browser.newContext();
	const staff = await staffPage(browser, DEMO.official);
	const cases: { route: string; url: string; as: 'public' | 'staff' }[] = [];
	const add = (route: string, as: 'public' | 'staff', make: (bad: string) => string) => {
		for (const bad of TRAVERSAL) cases.push({ route, url: make(bad), as });
	};
	add('/disclosures/[id]/files/[fid]', 'public', (b) => `/disclosures/${id}/files/${b}`);
	add('/disclosures/[id]/files/[fid]', 'public', (b) => `/disclosures/${b}/files/${fid}`);
	add('/disclosures/[id]/tables/[fid]', 'public', (b) => `/disclosures/${id}/tables/${b}`);
	add(
		'/disclosures/[id]/tables/[fid]',
		'public',
		(b) => `/disclosures/${b}/tables/${tid}?format=csv`
	);
	add('/questions/[code]/files/[id]', 'public', (b) => `/questions/HD-AAAA-AAAA/files/${b}`);
	add('/questions/[code]/files/[id]', 'public', (b) => `/questions/${b}/files/1`);
	add('/questions/track/[token]/files/[id]', 'public', (b) => `/questions/track/${b}/files/1`);
	add(
		'/questions/track/[token]/files/[id]',
		'public',
		(b) => `/questions/track/AAAAAAAAAAAAAAAAAAAAAA/files/${b}`
	);
	add(
		'/(staff)/officials/questions/[id]/files/[fid]',
		'staff',
		(b) => `/officials/questions/${b}/files/1`
	);
	add(
		'/(staff)/officials/questions/[id]/files/[fid]',
		'staff',
		(b) => `/officials/questions/1/files/${b}`
	);
	add(
		'/(staff)/officials/plans/[id]/tasks/[tid]/files/[fid]',
		'staff',
		(b) => `/officials/plans/${b}/tasks/1/files/1`
	);
	add(
		'/(staff)/officials/plans/[id]/tasks/[tid]/files/[fid]',
		'staff',
		(b) => `/officials/plans/1/tasks/${b}/files/1`
	);
	add(
		'/(staff)/officials/plans/[id]/tasks/[tid]/files/[fid]',
		'staff',
		(b) => `/officials/plans/1/tasks/1/files/${b}`
	);
	cases.push(
		{ route: 'IDOR', url: `/disclosures/${otherId}/files/${fid}`, as: 'public' },
		{ route: 'IDOR', url: `/disclosures/${otherId}/tables/${tid}`, as: 'public' },
		{
			route: 'IDOR',
			url: `/disclosures/${id}/files/${tid}`.replace(`/files/${tid}`, `/tables/${fid}`),
			as: 'public'
		},
		{ route: 'IDOR', url: `/officials/plans/2147483647/tasks/1/files/1`, as: 'staff' }
	);
	for (const c of cases) {
		const response = await (c.as === 'staff' ? staff.request : anonymous.request).get(c.url, {
			maxRedirects: 0
		});
		const body = await response.body();
		if (response.status() < 400 || response.status() >= 500)
			problems.push(`${c.route} ${c.url}: ${response.status()}`);
		if (/root:.*:0:0:|\[fonts\]|%PDF/.test(body.toString('latin1')))
			problems.push(`${c.route} ${c.url}: file bytes in the answer`);
	}
	console.log(`${FILE_ROUTES.length} file routes, ${cases.length} hostile addresses`);
	expect(problems, problems.join('\n')).toEqual([]);
});

test('uploads that lie about their type are refused, or served only as their checked type', async ({
	browser
}) => {
	const official = await staffPage(browser, QA_STAFF.communeOfficial);
	const approver = await staffPage(browser, QA_STAFF.communeApprover);
	const tricks = [
		{ name: 'anh.png', mimeType: 'image/png', buffer: Buffer.from(HTML) },
		{
			name: 'anh.png',
			mimeType: 'image/png',
			buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
		},
		{ name: 'bao-cao.pdf.html', mimeType: 'text/html', buffer: Buffer.from(HTML) },
		{
			name: 'ghi-chu.png',
			mimeType: 'image/png',
			buffer: Buffer.from('chỉ là chữ thường, không phải ảnh')
		}
	];
	const refused: string[] = [];
	for (const trick of tricks) {
		await draftWith(official, `Tệp lừa ${trick.name}`, [trick]);
		// the form comes back with the file's own error at its field
		if (!(await official.getByText(`Tệp “${trick.name}” không phải`).first().isVisible()))
			refused.push(`${trick.name} (${trick.buffer.subarray(0, 20).toString()}) was accepted`);
	}
	expect(refused, refused.join('\n')).toEqual([]);

	// a polyglot: PNG magic, then HTML. Its bytes say PNG, so it may be kept, but only ever as an
	// image/png download with nosniff and a sandbox: never as HTML.
	const stamp = unique();
	await draftWith(official, `Ảnh đa dạng (${stamp})`, [
		{ name: 'x.html', mimeType: 'text/html', buffer: Buffer.concat([PNG, Buffer.from(HTML)]) }
	]);
	const problems: string[] = [];
	const created = official.getByRole('heading', { level: 1, name: `Ảnh đa dạng (${stamp})` });
	const refusedPolyglot = official.getByText(/Tệp “x\.html” không phải/);
	await expect(created.or(refusedPolyglot).first()).toBeVisible();
	if (await created.isVisible()) {
		const staffUrl = official.url().replace(/\?.*$/, '');
		await sendDisclosureForReview(official);
		await approver.goto(staffUrl);
		await approver.getByRole('button', { name: 'Duyệt và công bố' }).click();
		await expect(approver.getByText('Đã công khai, phiên bản 1').first()).toBeVisible();
		await official.goto(`/disclosures/${staffUrl.split('/').pop()}`);
		const href = await official.locator('a[href*="/files/"]').first().getAttribute('href');
		const response = await official.request.get(href!);
		const h = response.headers();
		if (h['content-type'] !== 'image/png') problems.push(`polyglot served as ${h['content-type']}`);
		if (!/^attachment;/.test(h['content-disposition'] ?? '')) problems.push('polyglot inline');
		if (/\.html/.test(h['content-disposition'] ?? ''))
			problems.push(`name ${h['content-disposition']}`);
		if (h['x-content-type-options'] !== 'nosniff') problems.push('polyglot without nosniff');
		if (!/sandbox/.test(h['content-security-policy'] ?? ''))
			problems.push('polyglot without sandbox');
	}
	expect(problems, problems.join('\n')).toEqual([]);
});

test('Office files are kept only as sound OOXML: disguised, locked, truncated and zip-bomb ones are refused', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const official = await staffPage(browser, QA_STAFF.communeOfficial);
	const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
	const docxType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
	const office = (name: string, content: Uint8Array, mimeType = xlsxType) => ({
		name,
		mimeType,
		buffer: Buffer.from(content)
	});
	const text = '[Content_Types].xml xl/workbook.xml word/document.xml';
	const good = xlsx();
	const bad = [
		office('ghi-chu.xlsx', zip([{ name: 'ghi-chu.txt', data: text, method: 0 }])),
		office(
			'ung-dung.xlsx',
			zip([
				{ name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\r\n' },
				{ name: 'xl/workbook.xml', data: '<workbook/>' }
			])
		),
		office(
			'mat-khau.docx',
			zip(docxParts().map((p) => (p.name === 'word/document.xml' ? { ...p, flags: 1 } : p))),
			docxType
		),
		office('dang-do.xlsx', good.subarray(0, good.byteLength - 10)),
		office(
			'bom.xlsx',
			zip([...xlsxParts(), { name: 'xl/worksheets/sheet2.xml', data: new Uint8Array(20 << 20) }])
		)
	];
	await draftWith(official, 'Tệp Office giả', bad);
	// each file's reason is beside the field (and again in the summary above the form)
	const besideFiles = (text: string) => official.locator('p.error', { hasText: text });
	await expect(besideFiles('Tệp “bom.xlsx” khi giải nén lớn hơn 100 MB')).toBeVisible();
	for (const { name } of bad.slice(0, -1))
		await expect(besideFiles(`Tệp “${name}” không phải PDF`)).toBeVisible();
	await expect(official.getByLabel('Tiêu đề')).toHaveValue('Tệp Office giả');

	// an old .xls, or an .xlsx with a password (both OLE compound files)
	const ole = Buffer.concat([
		Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
		Buffer.alloc(504),
		Buffer.from('EncryptionInfo', 'utf16le'),
		Buffer.alloc(100)
	]);
	await draftWith(official, 'Tệp Office cũ', [office('bang-gia.xlsx', ole)]);
	await expect(
		besideFiles('Tệp “bang-gia.xlsx” là tệp Excel, Word định dạng cũ (.xls, .doc)')
	).toBeVisible();

	// real ones are kept, and served as what they are
	const stamp = unique();
	await draftWith(official, `Tệp Office thật (${stamp})`, [
		office('bang-gia.xlsx', good),
		office('quyet-dinh.docx', docx(), docxType)
	]);
	await expect(official.getByRole('heading', { level: 1 })).toHaveText(
		`Tệp Office thật (${stamp})`
	);
	const staffUrl = official.url().replace(/\?.*$/, '');
	await sendDisclosureForReview(official);
	const approver = await staffPage(browser, QA_STAFF.communeApprover);
	await approver.goto(staffUrl);
	await approver.getByRole('button', { name: 'Duyệt và công bố' }).click();
	await expect(approver.getByText('Đã công khai, phiên bản 1').first()).toBeVisible();
	await official.goto(`/disclosures/${staffUrl.split('/').pop()}`);
	const served: string[] = [];
	for (const name of ['bang-gia.xlsx', 'quyet-dinh.docx']) {
		const href = await official.getByRole('link', { name }).getAttribute('href');
		const response = await official.request.get(href!);
		served.push(`${response.status()} ${response.headers()['content-type']}`);
	}
	expect(served).toEqual([`200 ${xlsxType}`, `200 ${docxType}`]);
});
