import { expect, test, type Page } from '@playwright/test';
import { ANSWER_TIMEOUT, DEMO, QA_STAFF, signIn, unique } from './helpers';
import { expectRefusal, PHONE, withAndWithoutScript } from './refusal-helpers';

/**
 * Refused forms of the Q&A, on a phone, with and without JavaScript: the citizen's question, the
 * asker's reply to a request for detail, an official's reply draft, and the asker's rating and
 * request to answer again. Each time focus lands on the summary, its links lead to the fields,
 * and nothing typed is lost.
 *
 * Without JavaScript the browser's own `required` check would stop the post before the server
 * sees it, so the tests post values the server refuses (too short), and where a field carries
 * `required` they take that attribute off first: the server's answer is what is tested.
 */
const noNativeCheck = (page: Page, selector: string) =>
	page.locator(selector).evaluate((el) => el.removeAttribute('required'));

async function staff(page: Page, email: string, js: boolean) {
	const context = await page
		.context()
		.browser()!
		.newContext({ viewport: PHONE, javaScriptEnabled: js });
	const other = await context.newPage();
	await signIn(other, email);
	return other;
}

withAndWithoutScript('a question too short to send', async (page) => {
	await page.goto('/questions/ask');
	await page.getByLabel('Lĩnh vực').selectOption({ label: 'Đất đai' });
	await page.getByLabel('Địa bàn').selectOption({ label: 'Xã Vị Xuyên' });
	await page.getByLabel('Tiêu đề câu hỏi').fill('Ngắn');
	await page.getByLabel('Nội dung câu hỏi').fill('Quá ngắn');
	await page.getByRole('button', { name: 'Gửi câu hỏi' }).click();
	await expectRefusal(page, {
		linked: ['title', 'body'],
		kept: { title: 'Ngắn', body: 'Quá ngắn', topic: 'dat-dai' },
		says: 'Tiêu đề câu hỏi: Tiêu đề cần ít nhất 10 ký tự.'
	});
	await expect(page.locator('[name="unit"]')).not.toHaveValue('');
});

withAndWithoutScript(
	'the asker’s detail, the official’s draft, the rating and the request to answer again',
	async (page, js) => {
		// three people, two refusals and the steps between them
		test.setTimeout(120_000);
		const title = `Hỏi về thủ tục tách thửa đất ${unique()}`;
		await page.goto('/questions/ask');
		await page.getByLabel('Lĩnh vực').selectOption({ label: 'Đất đai' });
		await page.getByLabel('Địa bàn').selectOption({ label: 'Xã Vị Xuyên' });
		await page
			.getByLabel('Cơ quan bạn muốn hỏi (nếu biết)')
			.selectOption({ label: 'Ủy ban nhân dân xã Vị Xuyên' });
		await page.getByLabel('Tiêu đề câu hỏi').fill(title);
		await page.getByLabel('Nội dung câu hỏi').fill(`Xin hỏi ${title.toLowerCase()} cần gì?`);
		await page.getByRole('button', { name: 'Gửi câu hỏi' }).click();
		await expect(page.getByText('Đã gửi câu hỏi. Mã theo dõi:')).toBeVisible({
			timeout: ANSWER_TIMEOUT
		});
		const link = page.url().replace(/\?new=1$/, '');
		const code = (await page.getByRole('heading', { level: 1 }).textContent())!
			.replace('Câu hỏi ', '')
			.trim();

		// the moderator asks for more detail
		const moderator = await staff(page, DEMO.moderator, js);
		await moderator.goto(`/officials/questions?view=open&q=${code}`);
		await moderator.getByRole('link', { name: code }).click();
		// with JavaScript the click navigates in the page: read the address once it has changed
		await moderator.waitForURL(/\/officials\/questions\/\d+/);
		const caseUrl = moderator.url().replace(/\?.*$/, '');
		await moderator.getByLabel('Nội dung cần bổ sung').fill('Xin cho biết số thửa đất.');
		await moderator.getByRole('button', { name: 'Gửi đề nghị bổ sung' }).click();
		await expect(moderator.getByRole('status')).toContainText('Đã gửi yêu cầu bổ sung');

		// the asker answers too briefly: refused, what was typed kept
		await page.goto(link);
		await page.getByLabel('Thông tin bổ sung').fill('abc');
		await noNativeCheck(page, '[name="detail"]');
		await page.getByRole('button', { name: 'Gửi thông tin bổ sung' }).click();
		await expectRefusal(page, { linked: ['detail'], kept: { detail: 'abc' } });
		await page.getByLabel('Thông tin bổ sung').fill('Thửa đất số 12, tờ bản đồ số 3.');
		await page.getByRole('button', { name: 'Gửi thông tin bổ sung' }).click();
		await expect(page.getByRole('status')).toContainText('Đã gửi thông tin bổ sung');

		// accepted and routed to the commune; its official saves a draft too short
		await moderator.goto(caseUrl);
		await moderator.getByRole('button', { name: 'Tiếp nhận và chuyển', exact: true }).click();
		await expect(moderator.getByRole('status')).toContainText(/Đã chuyển đến .+; hạn trả lời /);

		const official = await staff(page, QA_STAFF.communeOfficial, js);
		await official.goto(caseUrl);
		await official.getByLabel('Nội dung trả lời').fill('Ngắn');
		await noNativeCheck(official, '[name="body"]');
		await official.getByRole('button', { name: 'Lưu dự thảo', exact: true }).click();
		await expectRefusal(official, {
			linked: ['body'],
			kept: { body: 'Ngắn' },
			says: 'Nội dung trả lời:'
		});

		// a proper reply, published: the asker may now rate it or ask again
		await official
			.getByLabel('Nội dung trả lời')
			.fill('Hồ sơ tách thửa gồm đơn đề nghị và Giấy chứng nhận quyền sử dụng đất.');
		await official.getByRole('button', { name: 'Trình duyệt' }).click();
		await expect(official.getByRole('status')).toHaveText('Đã trình lãnh đạo duyệt.');
		const approver = await staff(page, QA_STAFF.communeApprover, js);
		await approver.goto(caseUrl);
		await approver.getByRole('button', { name: 'Duyệt và công bố' }).click();
		await expect(approver.getByRole('status')).toContainText('Đã công bố câu trả lời');

		// a rating sent without choosing one: refused, the comment kept
		await page.goto(link);
		await page.getByLabel('Ý kiến thêm (không bắt buộc)').fill('Cảm ơn cơ quan.');
		await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
		await expectRefusal(page, {
			linked: ['rating'],
			kept: { comment: 'Cảm ơn cơ quan.' },
			says: 'Vui lòng chọn hài lòng hoặc không hài lòng.'
		});
		// asking again with too short a reason: refused, the reason kept
		await page.getByLabel('Câu trả lời còn thiếu điều gì?').fill('abc');
		await noNativeCheck(page, '[name="reason"]');
		await page.getByRole('button', { name: 'Yêu cầu trả lời lại' }).click();
		await expectRefusal(page, { linked: ['reason'], kept: { reason: 'abc' } });
	}
);
