import { expect, test, type Browser, type Page } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { DEMO, QA_STAFF, signIn, unique } from './helpers';
import { linkIn, mailTo, waitForMail, type Mail } from './mail/inbox';

const NAME = 'Lò Thị Nhận Thư';
/** Who works on the case: none of them may appear in what the asker receives. */
const STAFF_TRACES = [
	'demo.civicvoice.vn',
	'Trần Minh Châu',
	'Hoàng Thị Bình',
	'Vàng Văn Sính',
	'kiemduyet',
	'canbo.vixuyen',
	'lanhdao.vixuyen'
];

async function staffPage(browser: Browser, email: string) {
	const page = await (await browser.newContext()).newPage();
	await signIn(page, email);
	return page;
}

/** Asks as a citizen leaving an e-mail address with consent; returns the code and private link. */
async function ask(page: Page, title: string, email: string) {
	await page.goto('/questions/ask');
	await page.getByLabel('Lĩnh vực').selectOption({ label: 'Đất đai' });
	await page.getByLabel('Địa bàn').selectOption({ label: 'Xã Vị Xuyên' });
	await page
		.getByLabel('Cơ quan bạn muốn hỏi (nếu biết)')
		.selectOption({ label: 'Ủy ban nhân dân xã Vị Xuyên' });
	await page.getByLabel('Tiêu đề câu hỏi').fill(title);
	await page
		.getByLabel('Nội dung câu hỏi')
		.fill(`Xin hỏi ${title.toLowerCase()} cần những giấy tờ gì và nộp ở đâu?`);
	await page.getByLabel('Họ và tên').fill(NAME);
	await page.getByLabel('Thư điện tử', { exact: true }).fill(email);
	await page.getByLabel(/Tôi đồng ý/).check();
	await page.getByRole('button', { name: 'Gửi câu hỏi' }).click();
	await expect(page.getByText('Đã gửi câu hỏi. Mã theo dõi:')).toBeVisible();
	const heading = await page.getByRole('heading', { level: 1 }).textContent();
	return {
		code: heading!.replace('Câu hỏi ', '').trim(),
		link: page.url().replace(/\?new=1$/, '')
	};
}

/** A message says what the asker gave and what the portal decided, never who on the staff. */
function expectNothingOfTheStaff(mail: Mail) {
	const all = `${mail.subject}\n${mail.text}\n${mail.html}\n${mail.from?.text}`;
	for (const trace of STAFF_TRACES) expect(all, trace).not.toContain(trace);
}

test('the asker is told their question was received and answered, with links that open it', async ({
	browser
}) => {
	test.setTimeout(150_000);
	const email = `nguoi.hoi.${unique()}@example.vn`.toLowerCase();
	const citizen = await (await browser.newContext()).newPage();
	const title = `Thủ tục chuyển mục đích sử dụng đất ${unique()}`;
	const { code, link } = await ask(citizen, title, email);

	const ack = await waitForMail(email, new RegExp(`^${code}: Đã tiếp nhận câu hỏi của Ông/Bà$`));
	expect(ack.text).toContain(`Kính gửi Ông/Bà ${NAME},`);
	expect(ack.text).toContain(`“${title}”`);
	expectNothingOfTheStaff(ack);
	const ackLink = linkIn(ack, `${baseURL}/questions/track/`);
	expect(ackLink).toBe(link);
	// a stop link in the header and in the text; no one-click POST that SvelteKit would refuse
	const stop = linkIn(ack, `${baseURL}/questions/stop/`);
	const header = (key: string) =>
		ack.headerLines.find((h) => h.key === key)?.line.replace(/\s+/g, ' ');
	expect(header('list-unsubscribe')).toBe(`List-Unsubscribe: <${stop}>`);
	expect(header('list-unsubscribe-post')).toBeUndefined();
	const reader = await (await browser.newContext()).newPage();
	await reader.goto(ackLink);
	await expect(reader.getByRole('heading', { level: 1 })).toHaveText(`Câu hỏi ${code}`);

	// the moderator accepts it, the commune's official answers, the approver publishes
	const moderator = await staffPage(browser, DEMO.moderator);
	await moderator.goto(`/officials/questions?view=open&q=${code}`);
	await moderator.getByRole('link', { name: code }).click();
	await moderator.getByRole('button', { name: 'Tiếp nhận và chuyển', exact: true }).click();
	await expect(moderator.getByRole('status')).toContainText(/Đã chuyển đến .+; hạn trả lời /);
	const caseUrl = moderator.url().replace(/\?.*$/, '');
	const official = await staffPage(browser, QA_STAFF.communeOfficial);
	await official.goto(caseUrl);
	await official
		.getByLabel('Nội dung trả lời')
		.fill('Hồ sơ gồm **đơn đề nghị chuyển mục đích** và Giấy chứng nhận, nộp tại bộ phận một cửa.');
	await official.getByRole('button', { name: 'Trình duyệt' }).click();
	await expect(official.getByRole('status')).toHaveText('Đã trình lãnh đạo duyệt.');
	const approver = await staffPage(browser, QA_STAFF.communeApprover);
	await approver.goto(caseUrl);
	await approver.getByRole('button', { name: 'Duyệt và công bố' }).click();
	await expect(approver.getByRole('status')).toContainText('Đã công bố câu trả lời');

	const answered = await waitForMail(
		email,
		new RegExp(`^${code}: Đã có câu trả lời cho câu hỏi của Ông/Bà$`)
	);
	expect(answered.text).toContain(`Ủy ban nhân dân xã Vị Xuyên đã trả lời câu hỏi “${title}”`);
	expectNothingOfTheStaff(answered);
	// accepting it told the asker nothing: two messages in all
	expect((await mailTo(email)).map((m) => m.subject)).toEqual([ack.subject, answered.subject]);
	await reader.goto(linkIn(answered, `${baseURL}/questions/track/`));
	await expect(reader.getByText('Hồ sơ gồm')).toBeVisible();
	await expect(reader.getByRole('button', { name: 'Gửi đánh giá' })).toBeVisible();

	// the stop link opens a page; its button stops (a link followed by a scanner stops nothing)
	await reader.goto(stop);
	await expect(reader.getByRole('heading', { level: 1 })).toHaveText(
		`Ngừng nhận thư về câu hỏi ${code}`
	);
	await reader.getByRole('button', { name: 'Ngừng nhận thư' }).click();
	await expect(reader.getByRole('status')).toHaveText(`Đã ngừng gửi thư về câu hỏi ${code}.`);
	await reader.reload();
	await expect(reader.getByRole('button', { name: 'Ngừng nhận thư' })).toHaveCount(0);
	// a stop link not made by the portal is refused
	const forged = await reader.request.get(stop.replace(/\.[^.]+$/, '.AAAAAAAAAAAAAAAAAAAAAA'));
	expect(forged.status()).toBe(404);
});

test('the lost-link form sends a working link only to the contact given, without JavaScript', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const email = `mat.duong.dan.${unique()}@example.vn`.toLowerCase();
	const wrong = `nguoi.khac.${unique()}@example.vn`.toLowerCase();
	const citizen = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
	const { code, link } = await ask(citizen, `Hỏi về cấp đổi Giấy chứng nhận ${unique()}`, email);
	await waitForMail(email, new RegExp(`^${code}: Đã tiếp nhận`));

	const lost = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
	await lost.goto('/questions');
	await lost.getByRole('link', { name: 'Mất đường dẫn riêng? Lấy lại bằng mã số câu hỏi' }).click();
	await expect(lost.getByRole('heading', { level: 1 })).toHaveText('Lấy lại đường dẫn riêng');

	// a wrong address: the same answer, and nothing sent to anyone
	await lost.getByLabel('Mã số câu hỏi').fill(code);
	await lost.getByLabel('Thư điện tử hoặc số điện thoại đã cung cấp').fill(wrong);
	await lost.getByRole('button', { name: 'Gửi đường dẫn mới' }).click();
	const neutral = lost.getByRole('status');
	await expect(neutral).toContainText('Nếu mã số và thông tin liên hệ khớp với một câu hỏi');
	const saidToWrong = await neutral.textContent();

	// the right address, typed in capitals with the code in lower case
	await lost.goto('/questions/lost');
	await lost.getByLabel('Mã số câu hỏi').fill(code.toLowerCase());
	await lost.getByLabel('Thư điện tử hoặc số điện thoại đã cung cấp').fill(email.toUpperCase());
	await lost.getByRole('button', { name: 'Gửi đường dẫn mới' }).click();
	await expect(lost.getByRole('status')).toHaveText(saidToWrong!);

	const fresh = await waitForMail(
		email,
		new RegExp(`^${code}: Đường dẫn mới để theo dõi câu hỏi$`)
	);
	expectNothingOfTheStaff(fresh);
	const newLink = linkIn(fresh, `${baseURL}/questions/track/`);
	expect(newLink).not.toBe(link);
	// the wrong request came first and was handled before the right one's message went out
	expect(await mailTo(wrong)).toEqual([]);
	expect((await mailTo(email)).length).toBe(2);

	await citizen.goto(newLink);
	await expect(citizen.getByRole('heading', { level: 1 })).toHaveText(`Câu hỏi ${code}`);
	// the old link no longer opens the question, and its error page says where to get a new one
	const old = await citizen.goto(link);
	expect(old?.status()).toBe(404);
	await expect(
		citizen.getByRole('link', { name: 'Mất đường dẫn riêng? Lấy lại bằng mã số câu hỏi' })
	).toBeVisible();

	// malformed input is refused beside its field, what was typed kept
	await lost.goto('/questions/lost');
	await lost.getByLabel('Mã số câu hỏi').fill('không phải mã');
	await lost.getByLabel('Thư điện tử hoặc số điện thoại đã cung cấp').fill('abc');
	await lost.getByRole('button', { name: 'Gửi đường dẫn mới' }).click();
	await expect(lost.getByText('Vui lòng nhập mã số câu hỏi như trong thư').first()).toBeVisible();
	await expect(lost.getByLabel('Mã số câu hỏi')).toHaveValue('không phải mã');
});

test('a question asked in English is acknowledged in English', async ({ browser }) => {
	const email = `english.asker.${unique()}@example.vn`.toLowerCase();
	const context = await browser.newContext();
	await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'en', url: baseURL }]);
	const page = await context.newPage();
	await page.goto('/questions/ask');
	await page.getByLabel('Topic').selectOption('dat-dai');
	await page.getByLabel('Area').selectOption({ label: 'Xã Vị Xuyên' });
	await page.getByLabel('Question title').fill('Land use certificate for a new plot');
	await page
		.getByLabel('Your question')
		.fill('Which papers are needed for a first land use certificate, and where do I file them?');
	await page.getByLabel('Email', { exact: true }).fill(email);
	await page.getByLabel(/I agree/).check();
	await page.getByRole('button', { name: 'Send question' }).click();
	await expect(page.getByText('Your question has been sent. Tracking code:')).toBeVisible();
	const code = (await page.getByRole('heading', { level: 1 }).textContent())!.match(
		/HD-[\w-]+/
	)![0];

	const ack = await waitForMail(email, new RegExp(`^${code}: We have received your question$`));
	expect(ack.text).toContain('Dear Sir or Madam,');
	expect(ack.text).toContain('Follow your question: ');
	expect(ack.headerLines.find((h) => h.key === 'content-language')?.line).toContain('en');
	expect(linkIn(ack, `${baseURL}/questions/track/`)).toBe(page.url().replace(/\?new=1$/, ''));
});
