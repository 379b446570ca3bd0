import { expect, test, type Page } from '@playwright/test';
import { ANSWER_TIMEOUT, DEMO, expectNoAxeViolations, signIn } from './helpers';

/**
 * Issue 22's monthly Decision 766 figures, end to end: Sở Nội vụ's official imports this month's
 * dossiers from the one-stop system's CSV, citizens rate eleven of them by their codes, and the
 * public page shows Sở Nội vụ's figures for the month equal to what is worked out by hand below.
 * Only this test brings dossiers or ratings to Sở Nội vụ (the demo's are the one-stop shops'),
 * so the numbers are its own; codes carry the run's stamp.
 */
const stamp = Date.now().toString(36).toUpperCase();
const code = (n: number) => `000.00.31.H57-${stamp}-${String(n).padStart(3, '0')}`;

/** Việt Nam's day, `days` from today, as the CSV writes it (dd/mm/yyyy) and as YYYY-MM-DD. */
function vietnamDay(shift: { days?: number; monthStart?: boolean } = {}) {
	const now = new Date(Date.now() + 7 * 3_600_000);
	const day = shift.monthStart
		? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))
		: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
	day.setUTCDate(day.getUTCDate() + (shift.days ?? 0));
	const iso = day.toISOString().slice(0, 10);
	return { iso, csv: `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` };
}
const first = vietnamDay({ monthStart: true });
const lastOfPrevious = (() => {
	const d = new Date(`${first.iso}T00:00:00Z`);
	d.setUTCDate(0);
	const iso = d.toISOString().slice(0, 10);
	return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
})();
const dueLater = vietnamDay({ monthStart: true, days: 10 }).csv;
const month = first.iso.slice(0, 7);

const HEADER =
	'Mã hồ sơ;Thủ tục;Lĩnh vực;Ngày tiếp nhận;Ngày hẹn trả;Ngày hoàn thành;Hình thức;Số lần bổ sung';
const row = (
	n: number,
	field: string,
	received: string,
	due: string,
	done: string,
	online: boolean
) =>
	`${code(n)};Thủ tục ${n};${field};${received};${due};${done};${online ? 'Trực tuyến' : 'Trực tiếp'};0`;
const ROWS = [
	// 1–12: received on the 1st, completed the same day, due ten days later: on time this month;
	// 1–5 online
	...Array.from({ length: 12 }, (_, i) =>
		row(i + 1, 'Hộ tịch', first.csv, dueLater, first.csv, i < 5)
	),
	// 13: received and due on the last day of last month, still open: late since the 1st, so a
	// late outcome of this month, though not received this month
	row(13, 'Hộ tịch', lastOfPrevious, lastOfPrevious, '', false),
	// 14–20: Chứng thực, received on the 1st, open and not yet due; 14–15 online
	...Array.from({ length: 7 }, (_, i) => row(14 + i, 'Chứng thực', first.csv, dueLater, '', i < 2))
];
// worked out by hand:
// on time = 12 on time / 13 decided this month (1–12 and the late 13)
// online = 7 online (1–5, 14, 15) / 19 received this month (1–12, 14–20)
// satisfaction = 9 not unsatisfied / 11 ratings (1–10 and 14; 9 and 10 rated 2 and 1)
// mean waiting = (8 × 20 + 3 × 35) / 11 = 265 / 11 ≈ 24.1 minutes
// sampling: Hộ tịch 10 ratings / 12 received = 83.3 %; Chứng thực 1 / 7 = 14.3 %, below 15 %
const RATINGS: { n: number; overall: number; waiting: number }[] = [
	...Array.from({ length: 7 }, (_, i) => ({ n: i + 1, overall: 4, waiting: 20 })),
	{ n: 8, overall: 3, waiting: 20 },
	{ n: 9, overall: 2, waiting: 35 },
	{ n: 10, overall: 1, waiting: 35 },
	{ n: 14, overall: 5, waiting: 35 }
];

async function rate(page: Page, baseURL: string, n: number, overall: number, waiting: number) {
	const response = await page.request.post('/danh-gia', {
		headers: { origin: baseURL, accept: 'text/html' },
		form: {
			code: code(n),
			overall: String(overall),
			attitude: '4',
			harassed: 'no',
			timeliness: 'on_time',
			visits: '1',
			waiting: String(waiting),
			transparency: '4'
		}
	});
	expect(response.url(), `rating of dossier ${n}`).toBe(new URL('/danh-gia/cam-on', baseURL).href);
}

test('imported dossiers and citizens’ ratings give the month’s 766 figures worked out by hand', async ({
	browser,
	baseURL
}) => {
	test.setTimeout(180_000);
	const official = await (await browser.newContext()).newPage();
	await signIn(official, DEMO.official);
	await official.goto('/officials/dossiers');
	await official.getByLabel('Tệp CSV').setInputFiles({
		name: 'ho-so-thang.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from(`\uFEFF${[HEADER, ...ROWS].join('\r\n')}\r\n`)
	});
	await official.getByRole('button', { name: 'Nhập hồ sơ' }).click();
	await expect(official.getByText('Đã nhập: 20 hồ sơ mới, 0 hồ sơ được cập nhật.')).toBeVisible({
		timeout: ANSWER_TIMEOUT
	});
	await official.close();

	const citizen = await (await browser.newContext()).newPage();
	for (const r of RATINGS) await rate(citizen, baseURL!, r.n, r.overall, r.waiting);

	// the public page, without JavaScript and on a phone
	const reader = await (
		await browser.newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 640 } })
	).newPage();
	await reader.goto('/service-quality');
	await expect(reader.getByRole('heading', { level: 1 })).toHaveText(
		'Chỉ số chất lượng phục vụ hằng tháng (Quyết định 766)'
	);
	await expect(reader.locator('[data-provisional]')).toBeVisible();
	const agency = reader.locator('tr', {
		has: reader.getByRole('rowheader', { name: 'Sở Nội vụ', exact: false })
	});
	const cell = (key: string) => agency.first().locator(`[data-figure="${key}"]`);
	const pct = (n: number, d: number) =>
		new Intl.NumberFormat('vi-VN', { style: 'percent', maximumFractionDigits: 1 }).format(n / d);
	const figure = async (key: string, value: string, parts: string) => {
		await expect(cell(key).locator('.value'), key).toHaveText(value);
		await expect(cell(key).locator('.parts'), key).toHaveText(parts);
	};
	await figure('on_time', pct(12, 13), '12/13');
	await figure('online', pct(7, 19), '7/19');
	await figure('satisfaction', pct(9, 11), '9/11');
	await figure('waiting', '24,1 phút', '265/11');
	await figure('one_visit', pct(11, 11), '11/11');
	// the one dossier late this month has no approved apology letter yet
	await figure('late_letters', pct(0, 1), '0/1');

	const sampling = (field: string) =>
		reader.locator('tr', { has: reader.getByRole('rowheader', { name: field }) }).filter({
			has: reader.getByText('Sở Nội vụ')
		});
	const sampled = async (field: string, received: string, taken: string, rate: string) => {
		const cells = sampling(field).locator('td');
		await expect(cells.nth(1), field).toHaveText(received);
		await expect(cells.nth(2), field).toHaveText(taken);
		await expect(cells.nth(3), field).toContainText(rate);
		return cells.nth(3);
	};
	const civil = await sampled('Hộ tịch', '12', '10', pct(10, 12));
	await expect(civil.locator('[data-below]')).toHaveCount(0);
	const copies = await sampled('Chứng thực', '7', '1', pct(1, 7));
	await expect(copies.locator('[data-below]')).toHaveText('Dưới 15 %');
	// every figure has its formula and source on the page
	await expect(reader.getByRole('term')).toHaveCount(8);
	await expect(
		reader.getByText('Quyết định 766/QĐ-TTg ngày 23/6/2022', { exact: false }).first()
	).toBeVisible();
	expect(await reader.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
		320
	);

	// the month's own address says the same, still provisional; malformed and future months are 404
	await reader.goto(`/service-quality/${month}`);
	await expect(reader.locator('[data-provisional]')).toBeVisible();
	await figure('on_time', pct(12, 13), '12/13');
	for (const path of [
		'/service-quality/2026-13',
		'/service-quality/abc',
		'/service-quality/2999-01'
	]) {
		const response = await reader.goto(path);
		expect(response?.status(), path).toBe(404);
		await expect(reader.getByRole('heading', { level: 1 })).toContainText('404');
	}
	await reader.close();
});

test('a closed month of the archive is frozen, in both languages, axe clean', async ({
	page,
	baseURL
}) => {
	await page.goto('/service-quality');
	const archive = page.locator('ul.months a');
	await expect(archive.first()).toBeVisible();
	await archive.first().click();
	await expect(page.getByText(/Số liệu đã công bố, chốt lúc/)).toBeVisible();
	// the demo's shops have figures last month
	await expect(page.locator('tr[data-agency="province"] [data-figure="on_time"]')).toHaveText(
		/\d+\/\d+/
	);
	await expectNoAxeViolations(page);
	await page.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'en', url: baseURL! }]);
	await page.reload();
	await expect(page.getByText(/Published figures, frozen at/)).toBeVisible();
	await expectNoAxeViolations(page);
});
