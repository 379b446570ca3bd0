import { expect, test, type Browser, type Page } from '@playwright/test';
import { ANSWER_TIMEOUT, DEMO, expectNoAxeViolations, signIn, unique } from './helpers';

/**
 * The counter kiosk (issue 22): a tablet enrolled by a kiosk link that staff make takes ratings
 * one citizen after another, keeps nothing of one for the next, and keeps a rating made while the
 * network is down until it is back, then sends it exactly once. The demo's one-stop shop of Vị
 * Xuyên has a counter, "Quầy số 1", showing the short counter questionnaire.
 */

const QUEUE = 'civic-voice-kiosk-queue';
const QUESTIONS = ['k_access', 'k_guidance', 'k_attitude', 'k_receipt', 'k_overall'];
const LABELS = ['Rất không hài lòng', 'Không hài lòng', 'Bình thường', 'Hài lòng', 'Rất hài lòng'];

type Counter = { staff: Page; name: string; label: string; link: string };

/** A counter's section on the staff page. */
const counterCard = (staff: Page, name: string) =>
	staff.locator('section.card').filter({ has: staff.getByRole('heading', { name, exact: true }) });

async function received(c: Counter): Promise<number> {
	await c.staff.goto('/staff/counters');
	return Number(
		await counterCard(c.staff, c.name).locator('[data-counter-responses]').textContent()
	);
}

/**
 * Signs in as the admin, adds a counter of its own to the demo's one-stop shop (the tests run in
 * parallel; each counts its own counter's ratings) and makes a kiosk link for it.
 */
async function enrol(browser: Browser): Promise<Counter> {
	const staff = await (await browser.newContext()).newPage();
	await signIn(staff, DEMO.admin);
	await staff.goto('/staff/counters');
	const name = `Quầy thử ${unique()}`;
	const add = staff.locator('form[action="?/create"]');
	await add
		.getByLabel('Cơ quan')
		.selectOption({ label: 'Bộ phận tiếp nhận và trả kết quả xã Vị Xuyên' });
	await add.getByLabel('Tên quầy').fill(name);
	await add.getByLabel('Lĩnh vực').fill('Hộ tịch\nĐất đai\nChứng thực');
	await add
		.getByLabel('Đợt khảo sát hiển thị tại quầy')
		.selectOption({ label: 'Đánh giá sự hài lòng tại quầy Bộ phận một cửa xã Vị Xuyên' });
	await add.getByRole('button', { name: 'Thêm quầy' }).click();
	const card = counterCard(staff, name);
	await expect(card).toBeVisible({ timeout: ANSWER_TIMEOUT });
	const label = `Máy ${unique()}`;
	await card.getByLabel('Tên máy').fill(label);
	await card.getByRole('button', { name: 'Tạo đường dẫn máy đánh giá' }).click();
	const link = staff.locator('[data-kiosk-link]');
	await expect(link).toBeVisible({ timeout: ANSWER_TIMEOUT });
	return { staff, name, label, link: (await link.getAttribute('href'))! };
}

/** One citizen: a field and every question rated `score` (1..5). */
async function rate(kiosk: Page, field: string, score: number) {
	await kiosk.getByText(field, { exact: true }).click();
	for (const q of QUESTIONS)
		await kiosk
			.locator(`[data-question="${q}"]`)
			.getByText(LABELS[score - 1]!, { exact: true })
			.click();
	await kiosk.getByRole('button', { name: 'Gửi đánh giá' }).click();
}

/** Nothing of the last citizen on the screen: no choice, no text, no error, a new key. */
async function expectBlank(kiosk: Page, previousKey: string): Promise<string> {
	const form = kiosk.locator('form[data-kiosk]');
	await expect(form.locator('input:checked')).toHaveCount(0);
	await expect(kiosk.locator('.q-error, .error-summary')).toHaveCount(0);
	const texts = await form
		.locator('input[type="text"], textarea')
		.evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value).filter(Boolean));
	expect(texts).toEqual([]);
	const key = await form.locator('input[name="submit_key"]').inputValue();
	expect(key).toMatch(/^[\w-]{16,64}$/);
	expect(key).not.toBe(previousKey);
	return key;
}

const stored = (kiosk: Page) =>
	kiosk.evaluate(() => ({
		local: Object.keys(localStorage),
		session: Object.keys(sessionStorage),
		cookies: document.cookie
	}));

test('the kiosk takes three ratings in a row, keeping nothing of one citizen for the next', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const counter = await enrol(browser);
	const { link } = counter;
	const before = await received(counter);

	const tablet = await browser.newContext();
	const kiosk = await tablet.newPage();
	await kiosk.goto(link);
	await expect(kiosk.getByRole('heading', { name: 'Đánh giá sự hài lòng tại quầy' })).toBeVisible();
	await expect(kiosk.getByRole('navigation')).toHaveCount(0);
	await expectNoAxeViolations(kiosk);
	// large targets: every choice at least 44 px high
	const heights = await kiosk
		.locator('form[data-kiosk] .choice')
		.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
	expect(Math.min(...heights)).toBeGreaterThanOrEqual(44);
	const entries = await kiosk.evaluate(() => window.history.length);
	let key = await kiosk.locator('input[name="submit_key"]').inputValue();

	for (const [i, [field, score]] of (
		[
			['Hộ tịch', 5],
			['Đất đai', 2],
			['Chứng thực', 4]
		] as const
	).entries()) {
		await rate(kiosk, field, score);
		await expect(kiosk.getByText('Cảm ơn ông/bà đã đánh giá.', { exact: false })).toBeVisible();
		key = await expectBlank(kiosk, key);
		// sent and gone from the tablet: nothing stored of the rating once the server has it
		await expect
			.poll(() => stored(kiosk), { timeout: ANSWER_TIMEOUT })
			.toEqual({
				local: [],
				session: [],
				cookies: ''
			});
		// no page left behind in the history for the back button to bring back
		expect(await kiosk.evaluate(() => window.history.length)).toBe(entries);
		expect(new URL(kiosk.url()).pathname).toBe(new URL(link).pathname);
		expect(await received(counter), `rating ${i + 1} arrived`).toBe(before + i + 1);
	}
	await tablet.close();
});

test('a rating made while the network is down arrives once it is back, exactly once', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const counter = await enrol(browser);
	const { link } = counter;
	const before = await received(counter);
	const tablet = await browser.newContext();
	const kiosk = await tablet.newPage();
	await kiosk.goto(link);
	const key = await kiosk.locator('input[name="submit_key"]').inputValue();

	await tablet.setOffline(true);
	await rate(kiosk, 'Hộ tịch', 4);
	await expect(kiosk.getByText('Cảm ơn ông/bà đã đánh giá.', { exact: false })).toBeVisible();
	await expectBlank(kiosk, key);
	// kept on the tablet, under its key, and said so without showing what it holds
	const queued = await kiosk.evaluate(
		(name) => JSON.parse(localStorage.getItem(name) ?? '[]'),
		QUEUE
	);
	expect(queued).toHaveLength(1);
	expect(queued[0].key).toBe(key);
	await expect(kiosk.getByText(/1 phiếu được giữ trên máy/)).toBeVisible();
	expect(await received(counter)).toBe(before);

	await tablet.setOffline(false);
	await expect
		.poll(() => kiosk.evaluate((name) => localStorage.getItem(name), QUEUE), {
			timeout: ANSWER_TIMEOUT
		})
		.toBeNull();
	await expect(kiosk.getByText(/phiếu được giữ trên máy/)).toHaveCount(0);
	expect(await received(counter)).toBe(before + 1);

	// the server takes the next rating but its answer is lost on the way back: the tablet sends
	// it again with the same key, and the counter has it once
	let lost = 0;
	await kiosk.route('**/kiosk/**', async (route) => {
		if (route.request().method() === 'POST' && lost === 0) {
			lost++;
			await route.fetch();
			await route.abort('internetdisconnected');
		} else await route.continue();
	});
	const posts: string[] = [];
	kiosk.on('request', (r) => {
		if (r.method() === 'POST') posts.push(r.postData() ?? '');
	});
	await rate(kiosk, 'Đất đai', 5);
	await expect
		.poll(() => kiosk.evaluate((name) => localStorage.getItem(name), QUEUE), {
			timeout: ANSWER_TIMEOUT
		})
		.toBeNull();
	expect(lost).toBe(1);
	expect(posts.length).toBeGreaterThanOrEqual(2);
	expect(new Set(posts.map((p) => new URLSearchParams(p).get('submit_key'))).size).toBe(1);
	expect(await received(counter)).toBe(before + 2);
	await tablet.close();
});

test('the kiosk clears itself after a minute untouched, and a revoked link is refused', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const { staff, name, label, link } = await enrol(browser);
	// a phone-sized screen too: nothing sticks out past 320 px
	const kiosk = await (
		await browser.newContext({ viewport: { width: 320, height: 640 } })
	).newPage();
	await kiosk.clock.install();
	await kiosk.goto(link);
	expect(await kiosk.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
	const key = await kiosk.locator('input[name="submit_key"]').inputValue();
	await kiosk.getByText('Đất đai', { exact: true }).click();
	await kiosk.locator('[data-question="k_access"]').getByText('Hài lòng', { exact: true }).click();
	await expect(kiosk.locator('form[data-kiosk] input:checked')).toHaveCount(2);
	await kiosk.clock.fastForward(30_000);
	await expect(kiosk.locator('form[data-kiosk] input:checked')).toHaveCount(2);
	await kiosk.clock.fastForward(31_000);
	await expectBlank(kiosk, key);

	// the staff revoke the link: the tablet's next page is refused
	await staff.goto('/staff/counters');
	expect(new URL(link).pathname).toMatch(/^\/kiosk\/[\w-]{43}$/);
	await counterCard(staff, name)
		.getByRole('button', { name: `Thu hồi ${label}` })
		.click();
	await expect(staff.getByText('Đã thu hồi đường dẫn máy đánh giá.')).toBeVisible({
		timeout: ANSWER_TIMEOUT
	});
	const refused = await kiosk.goto(link);
	expect(refused?.status()).toBe(403);
	await expect(kiosk.getByText(/không còn hiệu lực/)).toBeVisible();
});
