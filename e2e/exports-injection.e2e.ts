import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { expect, test, type APIResponse, type Page } from '@playwright/test';
import {
	createPlan,
	DEMO,
	draftDisclosure,
	QA_STAFF,
	sendDisclosureForReview,
	unique
} from './helpers';
import {
	csvCell,
	FORMULAS,
	formulaCells,
	postAction,
	routeFiles,
	staffPage
} from './attack-helpers';

/**
 * Every export a spreadsheet opens is fed formula payloads through each value a user controls, and
 * no cell of the download may be one a spreadsheet would run. The list of exports is the route
 * tree's: every endpoint whose source answers `text/csv`, itself or through the exports module,
 * must have a case here.
 */
const CSV_ROUTES = routeFiles('+server.ts')
	.filter((r) => /text\/csv|\$lib\/server\/exports\/response/.test(r.source))
	.map((r) => r.id);

type Download = { route: string; response: APIResponse; reached: readonly string[] };

/** Parses a download and lists its formula cells, and payloads that never reached it. */
async function audit({ route, response, reached }: Download): Promise<string[]> {
	const problems: string[] = [];
	if (response.status() !== 200) return [`${route}: status ${response.status()}`];
	if (!/^text\/csv/.test(response.headers()['content-type'] ?? ''))
		problems.push(`${route}: content-type ${response.headers()['content-type']}`);
	if (!/^attachment;/.test(response.headers()['content-disposition'] ?? ''))
		problems.push(`${route}: not an attachment`);
	const rows = parse(await response.text(), {
		bom: true,
		relax_column_count: true
	}) as string[][];
	problems.push(...formulaCells(rows).map((cell) => `${route}: ${cell}`));
	const text = rows.flat().join('\n');
	for (const marker of reached)
		if (!text.includes(marker)) problems.push(`${route}: payload ${marker} never reached it`);
	return problems;
}

test('every CSV export is covered by a case below', () => {
	const covered = [
		'/(staff)/analytics/waves/[id]/microdata.csv',
		'/(staff)/analytics/waves/[id]/results.csv',
		'/(staff)/fieldwork/waves/[id]/invitations',
		'/(staff)/officials/plans/[id]/export.csv',
		'/disclosures/[id]/tables/[fid]'
	];
	expect(CSV_ROUTES.length).toBeGreaterThanOrEqual(5);
	expect(
		CSV_ROUTES.filter((r) => !covered.includes(r)),
		'CSV exports without an injection case'
	).toEqual([]);
});

test('a disclosure table with formula cells comes back neutralised as CSV', async ({ browser }) => {
	test.setTimeout(90_000);
	const official = await staffPage(browser, QA_STAFF.communeOfficial);
	const header = ['Nội dung', ...FORMULAS.slice(0, 2), 'Số tiền'];
	const lines = [
		header,
		...FORMULAS.map((f, i) => [f, `${i}`, f, `-${i + 1}`]),
		['Âm', '-5', '-2,5', '-1.234']
	].map((row) => row.map(csvCell).join(';'));
	const title = `Bảng có công thức (${unique()})`;
	await draftDisclosure(official, {
		title,
		period: '2024-Q2',
		effective: '2024-07-10',
		summary: 'Bảng kiểm tra ô công thức.',
		files: {
			name: '=bang.csv',
			mimeType: 'text/csv',
			buffer: Buffer.from(lines.join('\r\n') + '\r\n')
		}
	});
	await expect(official.getByRole('heading', { level: 1 })).toHaveText(title);
	await sendDisclosureForReview(official);
	const approver = await staffPage(browser, QA_STAFF.communeApprover);
	await approver.goto(official.url().replace(/\?.*$/, ''));
	await approver.getByRole('button', { name: 'Duyệt và công bố' }).click();
	await expect(approver.getByText('Đã công khai, phiên bản 1').first()).toBeVisible();

	const id = official.url().replace(/\?.*$/, '').split('/').pop();
	const visitor = official.context().request;
	await official.goto(`/disclosures/${id}`);
	const href = await official.getByRole('link', { name: 'Tải bảng dạng CSV' }).getAttribute('href');
	const response = await visitor.get(href!);
	const problems = await audit({
		route: '/disclosures/[id]/tables/[fid]',
		response,
		reached: ['HYPERLINK("http://x.example/a"', "cmd|' /C calc'!A0", '@SUM(A1)', 'x.example/space']
	});
	// negative numbers are read as numbers and written back as numbers, never with an apostrophe
	const rows = parse(await response.text(), { bom: true }) as string[][];
	const negatives = rows.find((r) => r[0] === 'Âm');
	if (!negatives || negatives[1] !== '-5')
		problems.push(`negative number: ${negatives?.join(' | ')}`);
	// the JSON form keeps the text as it was sent (it is data, not a spreadsheet)
	const json = (await (await visitor.get(`${href!.replace(/\?.*$/, '')}?format=json`)).json()) as {
		columns: string[];
	};
	if (!json.columns.includes(FORMULAS[0]))
		problems.push(`JSON columns: ${json.columns.join(' | ')}`);
	expect(problems, problems.join('\n')).toEqual([]);
});

test('a plan whose tasks carry formulas exports them neutralised', async ({ browser, baseURL }) => {
	test.setTimeout(90_000);
	const page = await staffPage(browser, DEMO.official);
	const title = `=HYPERLINK("http://x.example/plan") ${unique()}`;
	await createPlan(page, { title, frequency: 'yearly' });
	const planUrl = page.url().replace(/\?.*$/, '');

	const rows = [
		'TT;Chỉ số nội dung/Nội dung thành phần;Nhiệm vụ, giải pháp;Cơ quan chủ trì;Cơ quan phối hợp;Thời gian thực hiện;Chỉ tiêu;Sản phẩm',
		...FORMULAS.map((f) =>
			[
				'1.1',
				'1.1. Tri thức công dân',
				`${f} nhiệm vụ`,
				'Sở Nội vụ tỉnh Tuyên Quang',
				f,
				'Thường xuyên',
				f,
				f
			]
				.map(csvCell)
				.join(';')
		)
	];
	const imported = await postAction(page.request, baseURL!, planUrl, 'import', {
		multipart: {
			matrix: {
				name: 'ke-hoach.csv',
				mimeType: 'text/csv',
				buffer: Buffer.from(rows.join('\r\n') + '\r\n')
			}
		}
	});
	expect(imported.type, JSON.stringify(imported)).toBe('success');
	const problems = await audit({
		route: '/(staff)/officials/plans/[id]/export.csv',
		response: await page.request.get(`${planUrl}/export.csv`),
		reached: ['HYPERLINK("http://x.example/a"', "cmd|' /C calc'!A0", '@SUM(A1)', '-2+3']
	});
	expect(problems, problems.join('\n')).toEqual([]);
});

/** An instrument whose every title and label is a formula, and a wave of it, closed. */
async function formulaWave(page: Page, baseURL: string) {
	const stamp = unique();
	const spec = JSON.parse(readFileSync('seeds/instruments/sipas.json', 'utf8'));
	let n = 0;
	const next = () => FORMULAS[n++ % FORMULAS.length];
	const formulaText = (t: { vi: string; en: string }) => {
		const f = next();
		t.vi = f;
		t.en = f;
	};
	spec.slug = `cong-thuc-${stamp}`;
	formulaText(spec.title);
	for (const section of spec.sections) {
		formulaText(section.title);
		for (const part of section.parts) {
			if (part.title) formulaText(part.title);
			for (const q of part.questions) {
				formulaText(q.text);
				for (const o of q.options ?? []) formulaText(o.label);
			}
		}
	}
	const imported = await postAction(page.request, baseURL, '/fieldwork', 'import', {
		multipart: {
			file: {
				name: 'f.json',
				mimeType: 'application/json',
				buffer: Buffer.from(JSON.stringify(spec))
			}
		}
	});
	expect(imported.type, JSON.stringify(imported)).toBe('success');
	await page.goto('/fieldwork');
	const href = await page
		.getByRole('region', { name: 'Bộ phiếu khảo sát' })
		.locator(`a[href*="/fieldwork/instruments/"]`)
		.last()
		.getAttribute('href');
	const instrumentPath = href!.replace(/\?.*$/, '').replace(/\/(preview|export).*$/, '');
	const published = await postAction(page.request, baseURL, instrumentPath, 'publish', {
		form: {}
	});
	expect(published.type, JSON.stringify(published)).toBe('success');

	await page.goto('/fieldwork/waves/new');
	const version = page.getByLabel(/Bộ phiếu/).locator('option', { hasText: FORMULAS[0] });
	const versionId = await version.first().getAttribute('value');
	const created = await postAction(page.request, baseURL, '/fieldwork/waves/new', 'default', {
		form: {
			slug: `cong-thuc-${stamp}`,
			titleVi: '@SUM(A1) đợt',
			titleEn: '@SUM(A1) wave',
			versionId: versionId!,
			layout: 'paged',
			accessMode: 'invitation',
			units: '00913'
		}
	});
	expect(created.type, JSON.stringify(created)).toBe('redirect');
	const wavePath = created.location!;
	for (const action of ['open', 'close'])
		expect((await postAction(page.request, baseURL, wavePath, action, { form: {} })).type).toBe(
			'success'
		);
	return { waveId: wavePath.split('/').pop()!, wavePath };
}

test('analytics and fieldwork exports neutralise formulas in instrument texts and wave titles', async ({
	browser,
	baseURL
}) => {
	test.setTimeout(120_000);
	const page = await staffPage(browser, DEMO.analyst);
	const { waveId, wavePath } = await formulaWave(page, baseURL!);
	const problems: string[] = [];
	problems.push(
		...(await audit({
			route: '/(staff)/analytics/waves/[id]/results.csv',
			response: await page.request.get(`/analytics/waves/${waveId}/results.csv`),
			reached: ['@SUM(A1) đợt', 'HYPERLINK("http://x.example/a"']
		})),
		...(await audit({
			route: '/(staff)/analytics/waves/[id]/microdata.csv',
			response: await page.request.get(`/analytics/waves/${waveId}/microdata.csv`),
			reached: []
		}))
	);
	// invitation codes: a wave of a closed state gives none, so a second wave is opened for them
	const stamp = unique();
	await page.goto('/fieldwork/waves/new');
	const versionId = await page
		.getByLabel(/Bộ phiếu/)
		.locator('option')
		.first()
		.getAttribute('value');
	const created = await postAction(page.request, baseURL!, '/fieldwork/waves/new', 'default', {
		form: {
			slug: `ma-moi-${stamp}`,
			titleVi: '=1+1 mời',
			titleEn: '=1+1 invite',
			versionId: versionId!,
			layout: 'paged',
			accessMode: 'invitation',
			units: '00913'
		}
	});
	expect(created.type, JSON.stringify(created)).toBe('redirect');
	expect(
		(await postAction(page.request, baseURL!, created.location!, 'open', { form: {} })).type
	).toBe('success');
	problems.push(
		...(await audit({
			route: '/(staff)/fieldwork/waves/[id]/invitations',
			response: await page.request.post(`${created.location}/invitations`, {
				headers: { origin: baseURL! },
				form: { count: '3' }
			}),
			reached: []
		}))
	);
	expect(wavePath).toMatch(/^\/fieldwork\/waves\/\d+$/);
	expect(problems, problems.join('\n')).toEqual([]);
});
