import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { ANSWER_TIMEOUT, DEMO, expectNoAxeViolations, signIn } from './helpers';
import { ownPort, startOwnServer, stopOwnServer, untilServing, type OwnServer } from './own-server';

/**
 * Issue 22's monthly Decision 766 figures, end to end, on a server of the test's own (so no other
 * test's dossiers or ratings meet these): Sở Nội vụ's official imports this month's dossiers from
 * the one-stop system's CSV and citizens rate eleven of them by their codes. While the month is in
 * progress, the public page shows the dossier figures worked out by hand below and withholds the
 * figures made from ratings (two readings must not differ by one rating). The server is then
 * restarted on the same data with its clock moved to the first day of next month: the month is
 * closed, and its frozen figures, those from ratings included, equal what is worked out by hand.
 */
const port = ownPort(3);
const HOUR = 3_600_000;
/** Việt Nam is UTC+7 all year. */
const VN = 7 * HOUR;

const stamp = Date.now().toString(36).toUpperCase();
const code = (n: number) => `000.00.31.H57-${stamp}-${String(n).padStart(3, '0')}`;

/** A Việt Nam day as YYYY-MM-DD and as the CSV writes it (dd/mm/yyyy). */
function day(utcMidnight: Date) {
	const iso = utcMidnight.toISOString().slice(0, 10);
	return { iso, csv: `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` };
}

/** The days the dossiers below are placed on, seen from `now`. */
function calendar(now: number) {
	const vn = new Date(now + VN);
	const [y, m, d] = [vn.getUTCFullYear(), vn.getUTCMonth(), vn.getUTCDate()];
	const first = day(new Date(Date.UTC(y, m, 1)));
	return {
		first,
		month: first.iso.slice(0, 7),
		lastOfPrevious: day(new Date(Date.UTC(y, m, 0))),
		// due long after next month's first day: these are never late in this test
		dueLater: day(new Date(Date.UTC(y, m, d + 60))),
		/** the moment next month begins in Việt Nam */
		nextMonth: Date.UTC(y, m + 1, 1) - VN
	};
}

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
const rows = ({ first, lastOfPrevious, dueLater }: ReturnType<typeof calendar>) => [
	// 1–12: received on the 1st, completed the same day, due later: on time this month; 1–5 online
	...Array.from({ length: 12 }, (_, i) =>
		row(i + 1, 'Hộ tịch', first.csv, dueLater.csv, first.csv, i < 5)
	),
	// 13: received and due on the last day of last month, still open: late since the 1st, so a
	// late outcome of this month, though not received this month
	row(13, 'Hộ tịch', lastOfPrevious.csv, lastOfPrevious.csv, '', false),
	// 14–20: Chứng thực, received on the 1st, open and not yet due; 14–15 online
	...Array.from({ length: 7 }, (_, i) =>
		row(14 + i, 'Chứng thực', first.csv, dueLater.csv, '', i < 2)
	)
];
// worked out by hand:
// on time = 12 on time / 13 decided this month (1–12 and the late 13)
// online = 7 online (1–5, 14, 15) / 19 received this month (1–12, 14–20)
// late dossiers with a letter = 0 / 1 (13 has none)
// satisfaction = 9 not unsatisfied / 11 ratings (1–10 and 14; 9 and 10 rated 2 and 1)
// mean waiting = (8 × 20 + 3 × 35) / 11 = 265 / 11 ≈ 24.1 minutes; one visit = 11 / 11
// sampling: Hộ tịch 10 ratings / 12 received = 83.3 %; Chứng thực 1 / 7 = 14.3 %, below 15 %
const RATINGS: { n: number; overall: number; waiting: number }[] = [
	...Array.from({ length: 7 }, (_, i) => ({ n: i + 1, overall: 4, waiting: 20 })),
	{ n: 8, overall: 3, waiting: 20 },
	{ n: 9, overall: 2, waiting: 35 },
	{ n: 10, overall: 1, waiting: 35 },
	{ n: 14, overall: 5, waiting: 35 }
];
const FROM_RATINGS = ['satisfaction', 'waiting', 'one_visit'];

async function rate(page: Page, n: number, overall: number, waiting: number) {
	const response = await page.request.post('/danh-gia', {
		headers: { origin: new URL(page.url() || 'about:blank').origin, accept: 'text/html' },
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
	expect(new URL(response.url()).pathname, `rating of dossier ${n}`).toBe('/danh-gia/cam-on');
}

/** A phone without JavaScript, reading `server`. */
async function reader(browser: Browser, server: OwnServer) {
	const context = await browser.newContext({
		baseURL: server.origin,
		javaScriptEnabled: false,
		viewport: { width: 320, height: 640 }
	});
	return context.newPage();
}

const pct = (n: number, d: number) =>
	new Intl.NumberFormat('vi-VN', { style: 'percent', maximumFractionDigits: 1 }).format(n / d);

/** Sở Nội vụ's row of the figures and its sampling rows, on the page `page` shows. */
function checks(page: Page) {
	const agency = page.locator('tr', {
		has: page.getByRole('rowheader', { name: 'Sở Nội vụ', exact: false })
	});
	const cell = (key: string) => agency.first().locator(`[data-figure="${key}"]`);
	const figure = async (key: string, value: string, parts: string) => {
		await expect(cell(key).locator('.value'), key).toHaveText(value);
		await expect(cell(key).locator('.parts'), key).toHaveText(parts);
	};
	const pending = async (key: string) => {
		await expect(cell(key), key).toHaveText('Công bố khi hết tháng');
		await expect(cell(key).locator('.parts'), key).toHaveCount(0);
	};
	const sampled = async (field: string, received: string, taken: string, rate: string) => {
		const cells = page
			.locator('tr', { has: page.getByRole('rowheader', { name: field }) })
			.filter({ has: page.getByText('Sở Nội vụ') })
			.locator('td');
		await expect(cells.nth(1), field).toHaveText(received);
		await expect(cells.nth(2), field).toHaveText(taken);
		await expect(cells.nth(3), field).toContainText(rate);
		return cells.nth(3);
	};
	const samplingByHand = async () => {
		const civil = await sampled('Hộ tịch', '12', '10', pct(10, 12));
		await expect(civil.locator('[data-below]')).toHaveCount(0);
		const copies = await sampled('Chứng thực', '7', '1', pct(1, 7));
		await expect(copies.locator('[data-below]')).toHaveText('Dưới 15 %');
	};
	const dossierFiguresByHand = async () => {
		await figure('on_time', pct(12, 13), '12/13');
		await figure('online', pct(7, 19), '7/19');
		// the one dossier late this month has no approved apology letter
		await figure('late_letters', pct(0, 1), '0/1');
	};
	return { figure, pending, samplingByHand, dossierFiguresByHand };
}

test('imported dossiers and citizens’ ratings give the month’s 766 figures worked out by hand', async ({
	browser
}) => {
	test.setTimeout(600_000);
	// the ratings must all fall in one month: near a month's end in Việt Nam, wait for the next
	const untilNextMonth = calendar(Date.now()).nextMonth - Date.now();
	if (untilNextMonth < 20 * 60_000) await new Promise((r) => setTimeout(r, untilNextMonth + 5_000));
	const days = calendar(Date.now());

	const dataDir = mkdtempSync(join(tmpdir(), 'civic-voice-766-'));
	let server: OwnServer | undefined;
	try {
		server = await startOwnServer(port, { DATA_DIR: dataDir, SEED_DEMO: 'true' });
		await untilServing(server, 300_000);

		const official = await (await browser.newContext({ baseURL: server.origin })).newPage();
		await signIn(official, DEMO.official);
		await official.goto('/officials/dossiers');
		await official.getByLabel('Tệp CSV').setInputFiles({
			name: 'ho-so-thang.csv',
			mimeType: 'text/csv',
			buffer: Buffer.from(`\uFEFF${[HEADER, ...rows(days)].join('\r\n')}\r\n`)
		});
		await official.getByRole('button', { name: 'Nhập hồ sơ' }).click();
		await expect(official.getByText('Đã nhập: 20 hồ sơ mới, 0 hồ sơ được cập nhật.')).toBeVisible({
			timeout: ANSWER_TIMEOUT
		});
		await official.context().close();

		const citizen = await (await browser.newContext({ baseURL: server.origin })).newPage();
		await citizen.goto('/danh-gia');
		for (const r of RATINGS) await rate(citizen, r.n, r.overall, r.waiting);
		await citizen.context().close();

		// the month in progress, without JavaScript and on a phone
		const live = await reader(browser, server);
		await live.goto('/service-quality');
		await expect(live.getByRole('heading', { level: 1 })).toHaveText(
			'Chỉ số chất lượng phục vụ hằng tháng (Quyết định 766)'
		);
		await expect(live.locator('[data-provisional]')).toBeVisible();
		const now = checks(live);
		await now.dossierFiguresByHand();
		// the figures from ratings wait for the month's end, for the agency and the province
		for (const key of FROM_RATINGS) {
			await now.pending(key);
			await expect(live.locator(`tr[data-agency="province"] [data-figure="${key}"]`)).toHaveText(
				'Công bố khi hết tháng'
			);
		}
		// the sampling counts ratings taken, not what they say, and runs with the month
		await now.samplingByHand();
		// every figure has its formula and source on the page
		await expect(live.getByRole('term')).toHaveCount(8);
		await expect(
			live.getByText('Quyết định 766/QĐ-TTg ngày 23/6/2022', { exact: false }).first()
		).toBeVisible();
		expect(await live.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
			320
		);
		// the month's own address says the same, still provisional; malformed and future months are 404
		await live.goto(`/service-quality/${days.month}`);
		await expect(live.locator('[data-provisional]')).toBeVisible();
		await now.dossierFiguresByHand();
		await now.pending('satisfaction');
		for (const path of [
			'/service-quality/2026-13',
			'/service-quality/abc',
			'/service-quality/2999-01'
		]) {
			const response = await live.goto(path);
			expect(response?.status(), path).toBe(404);
			await expect(live.getByRole('heading', { level: 1 })).toContainText('404');
		}
		await live.context().close();
		expect(await stopOwnServer(server)).toBe(0);

		// the same data, an hour into next month: the month is closed and frozen
		const clock = join(process.cwd(), 'e2e', 'clock', 'shifted-clock.mjs');
		server = await startOwnServer(
			port,
			{ DATA_DIR: dataDir, CLOCK_SHIFT_MS: String(days.nextMonth + HOUR - Date.now()) },
			['--import', clock]
		);
		await untilServing(server, 300_000);
		const later = await reader(browser, server);
		await later.goto('/service-quality');
		await expect(later.locator('[data-provisional]')).toBeVisible();
		await later.locator('ul.months a').first().click();
		await expect(later).toHaveURL(new RegExp(`/service-quality/${days.month}$`));
		await expect(later.getByText(/Số liệu đã công bố, chốt lúc/)).toBeVisible();
		const closed = checks(later);
		await closed.dossierFiguresByHand();
		await closed.figure('satisfaction', pct(9, 11), '9/11');
		await closed.figure('waiting', '24,1 phút', '265/11');
		await closed.figure('one_visit', pct(11, 11), '11/11');
		await closed.samplingByHand();
		await expect(later.getByRole('term')).toHaveCount(8);
		expect(await later.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
			320
		);
		await later.context().close();
	} finally {
		await stopOwnServer(server);
		rmSync(dataDir, { recursive: true, force: true });
	}
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
