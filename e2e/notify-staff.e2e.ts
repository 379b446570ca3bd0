import { expect, test, type Browser, type Page } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { DEMO, expectNoAxeViolations, QA_STAFF, signIn, unique } from './helpers';
import { linkIn, mailTo, waitForMail } from './mail/inbox';

async function staffPage(browser: Browser, email: string, javaScriptEnabled = true) {
	const page = await (await browser.newContext({ javaScriptEnabled })).newPage();
	await signIn(page, email);
	return page;
}

/** The hour of the day in Vietnam (UTC+7). */
const vietnamHour = () => (new Date().getUTCHours() + 7) % 24;

/** The staff home's counts by label ("12 Câu hỏi quá hạn trả lời" → label: 12). */
async function homeCounts(page: Page): Promise<Map<string, number>> {
	await page.goto('/staff');
	const texts = await page
		.getByRole('main')
		.locator('.work a:has(.count)')
		.evaluateAll((as) => as.map((a) => (a.textContent ?? '').replace(/\s+/g, ' ').trim()));
	return new Map(
		texts.flatMap((t) => {
			const match = /^(\d+) (.+)$/.exec(t);
			return match ? [[match[2]!, Number(match[1])] as const] : [];
		})
	);
}

test('an official in immediate mode is told of a new case routed to their agency, with a link to it', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const citizen = await (await browser.newContext()).newPage();
	const title = `Thủ tục chuyển hộ khẩu ${unique()}`;
	await citizen.goto('/questions/ask');
	await citizen.getByLabel('Lĩnh vực').selectOption({ label: 'Đất đai' });
	await citizen.getByLabel('Địa bàn').selectOption({ label: 'Xã Vị Xuyên' });
	await citizen
		.getByLabel('Cơ quan bạn muốn hỏi (nếu biết)')
		.selectOption({ label: 'Ủy ban nhân dân xã Vị Xuyên' });
	await citizen.getByLabel('Tiêu đề câu hỏi').fill(title);
	await citizen
		.getByLabel('Nội dung câu hỏi')
		.fill(`Xin hỏi ${title.toLowerCase()} cần giấy tờ gì?`);
	await citizen.getByLabel('Họ và tên').fill('Lò Văn Kín');
	await citizen.getByLabel('Thư điện tử', { exact: true }).fill('lo.van.kin@example.vn');
	await citizen.getByLabel(/Tôi đồng ý/).check();
	await citizen.getByRole('button', { name: 'Gửi câu hỏi' }).click();
	await expect(citizen.getByText('Đã gửi câu hỏi. Mã theo dõi:')).toBeVisible();
	const code = (await citizen.getByRole('heading', { level: 1 }).textContent())!
		.replace('Câu hỏi ', '')
		.trim();
	const seen = (await mailTo(QA_STAFF.communeOfficial)).length;

	const moderator = await staffPage(browser, DEMO.moderator);
	await moderator.goto(`/officials/questions?view=open&q=${code}`);
	await moderator.getByRole('link', { name: code }).click();
	await moderator.getByRole('button', { name: 'Tiếp nhận và chuyển', exact: true }).click();
	await expect(moderator.getByRole('status')).toContainText(/Đã chuyển đến .+; hạn trả lời /);

	const mail = await waitForMail(QA_STAFF.communeOfficial, new RegExp(`Câu hỏi mới ${code}`), {
		after: seen
	});
	expect(mail.text).toContain(title);
	expect(mail.text).toContain('Ủy ban nhân dân xã Vị Xuyên');
	// the asker's name and address stay on the case page, out of the message
	expect(mail.text).not.toContain('Lò Văn Kín');
	expect(mail.text).not.toContain('lo.van.kin@example.vn');
	expect(mail.html).not.toContain('lo.van.kin@example.vn');
	// nobody else's agency hears of it
	expect(
		(await mailTo(QA_STAFF.otherOfficial)).filter((m) => m.subject?.includes(code))
	).toHaveLength(0);

	const official = await staffPage(browser, QA_STAFF.communeOfficial);
	await official.goto(linkIn(mail, `${baseURL}/officials/questions/`));
	await expect(official.getByRole('heading', { level: 1 })).toContainText(code);

	// the settings page, at 320 px: nothing scrolls sideways, axe finds nothing
	await official.setViewportSize({ width: 320, height: 800 });
	await official.goto('/staff/notifications');
	await expect(official.getByLabel('Báo ngay khi có việc')).toBeChecked();
	expect(await official.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
		320
	);
	await expectNoAxeViolations(official);
});

test('an official sets the digest to this hour on the staff page, without JavaScript, and receives their counts', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const official = await staffPage(browser, DEMO.official, false);
	await official.goto('/staff');
	await official.getByRole('link', { name: 'Cài đặt thông báo công việc' }).click();
	await expect(official.getByRole('heading', { level: 1 })).toHaveText('Thông báo công việc');

	// an hour that is not one is refused in words, what was chosen kept
	const origin = new URL(baseURL).origin;
	const bad = await official.request.post('/staff/notifications?/save', {
		headers: { origin, accept: 'text/html' },
		form: { mode: 'digest', digestHour: '25', lang: 'vi' }
	});
	expect(bad.status()).toBe(400);
	expect(await bad.text()).toContain('Hãy chọn một giờ từ 00:00 đến 23:00.');

	const seen = (await mailTo(DEMO.official)).length;
	// the digest goes during the hour chosen: not in an hour's last seconds, lest it pass first
	const left = () => 3_600_000 - (Date.now() % 3_600_000);
	if (left() < 30_000) await official.waitForTimeout(left() + 1_000);
	// other tests change the agency's work meanwhile: the digest's counts lie between these and
	// the home's after it came
	const before = await homeCounts(official);
	await official.goto('/staff/notifications');
	const hour = vietnamHour();
	await official.getByLabel('Một thư tóm tắt mỗi ngày').check();
	await official.getByLabel('Giờ nhận thư tóm tắt (giờ Việt Nam)').selectOption(String(hour));
	await official.getByLabel('Tiếng Việt').check();
	await official.getByRole('button', { name: 'Lưu cài đặt' }).click();
	await expect(official.getByRole('status')).toHaveText('Đã lưu cài đặt thông báo.');
	await expect(official.getByLabel('Một thư tóm tắt mỗi ngày')).toBeChecked();
	await expect(official.getByLabel('Giờ nhận thư tóm tắt (giờ Việt Nam)')).toHaveValue(
		String(hour)
	);

	const mail = await waitForMail(DEMO.official, /^Việc cần làm ngày \d\d\/\d\d\/\d{4}$/, {
		after: seen
	});
	const lines = new Map(
		(mail.text ?? '').split('\n').flatMap((line) => {
			const match = /^(.+): (\d+)$/.exec(line.trim());
			return match ? [[match[1]!, Number(match[2])] as const] : [];
		})
	);
	// every count of the digest is the staff home's, read before and right after it came
	const home = await homeCounts(official);
	expect(lines.size).toBeGreaterThan(0);
	for (const [label, n] of lines) {
		const [a, b] = [before.get(label), home.get(label)];
		expect(a, label).toBeDefined();
		expect(b, label).toBeDefined();
		expect(n, label).toBeGreaterThanOrEqual(Math.min(a!, b!));
		expect(n, label).toBeLessThanOrEqual(Math.max(a!, b!));
	}
	expect([...lines.values()].some((n) => n > 0)).toBe(true);
	// and each plan's reports, as the home lists them
	const plans = await official
		.getByRole('main')
		.locator('li.plan')
		.evaluateAll((lis) => lis.map((li) => (li.textContent ?? '').replace(/\s+/g, ' ').trim()));
	for (const plan of plans) {
		const [, title, due, overdue] = /^(.+): (\d+) báo cáo đến kỳ, (\d+) báo cáo quá hạn$/.exec(
			plan
		)!;
		expect(mail.text).toContain(`«${title}»: ${due} báo cáo đến kỳ, ${overdue} báo cáo quá hạn`);
	}
	expect(linkIn(mail, baseURL)).toBe(`${baseURL}/staff`);

	// back to the default, so other tests' officials hear of each step
	await official.goto('/staff/notifications');
	await official.getByLabel('Báo ngay khi có việc').check();
	await official.getByRole('button', { name: 'Lưu cài đặt' }).click();
	await expect(official.getByRole('status')).toHaveText('Đã lưu cài đặt thông báo.');
});
