import { expect, test, type Browser, type Page } from '@playwright/test';
import { DEMO, expectNoAxeViolations, QA_STAFF, signIn, unique } from './helpers';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const EMAIL = 'nguoi.hoi.e2e@example.vn';
const NAME = 'Tẩn Thị Riêng Tư';

async function staffPage(browser: Browser, email: string, javaScriptEnabled: boolean) {
	const context = await browser.newContext({ javaScriptEnabled });
	const page = await context.newPage();
	await signIn(page, email);
	return page;
}

/** Fills the ask form as a citizen would; returns the private link's page once sent. */
async function ask(page: Page, title: string, over: { agency?: string } = {}) {
	await page.goto('/questions/ask');
	await page.getByLabel('Lĩnh vực').selectOption({ label: 'Đất đai' });
	await page.getByLabel('Địa bàn').selectOption({ label: 'Xã Vị Xuyên' });
	await page
		.getByLabel('Cơ quan bạn muốn hỏi (nếu biết)')
		.selectOption({ label: over.agency ?? 'Ủy ban nhân dân xã Vị Xuyên' });
	await page.getByLabel('Tiêu đề câu hỏi').fill(title);
	await page
		.getByLabel('Nội dung câu hỏi')
		.fill(`Xin hỏi ${title.toLowerCase()} cần giấy tờ gì? Tôi là ${NAME}.`);
	await page.getByLabel('Tệp đính kèm').setInputFiles({
		name: 'giay-to.pdf',
		mimeType: 'application/pdf',
		buffer: PDF
	});
	await page.getByLabel('Họ và tên').fill(NAME);
	await page.getByLabel('Thư điện tử', { exact: true }).fill(EMAIL);
	await page.getByLabel(/Tôi đồng ý/).check();
	await page.getByRole('button', { name: 'Gửi câu hỏi' }).click();
	await expect(page.getByText('Đã gửi câu hỏi. Mã theo dõi:')).toBeVisible();
	const code = (await page.getByRole('heading', { level: 1 }).textContent())!.replace(
		'Câu hỏi ',
		''
	);
	return { code: code.trim(), link: page.url().replace(/\?new=1$/, '') };
}

async function openCase(page: Page, code: string) {
	await page.goto(`/officials/questions?view=open&q=${code}`);
	await page.getByRole('link', { name: code }).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText(code);
}

for (const javaScriptEnabled of [true, false]) {
	test(`a question goes from the citizen through moderation, draft and approval to the public page and the asker's rating (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({
		browser
	}) => {
		test.setTimeout(120_000);
		const citizen = await (await browser.newContext({ javaScriptEnabled })).newPage();

		// similar answers are found without accents, before the question is sent
		await citizen.goto('/questions/ask');
		// typed at once, possibly before the page's script has run: it must still be looked up
		await citizen.getByLabel('Tiêu đề câu hỏi').fill('thu tuc dat dai');
		if (!javaScriptEnabled) {
			await citizen.getByRole('button', { name: 'Tìm câu trả lời tương tự' }).click();
			await expect(citizen.getByLabel('Tiêu đề câu hỏi')).toHaveValue('thu tuc dat dai');
		}
		await expect(
			citizen.getByRole('link', { name: /Thủ tục đất đai khi cấp Giấy chứng nhận/ })
		).toBeVisible();

		const title = `Thủ tục đất đai khi tách thửa ${javaScriptEnabled ? 'A' : 'B'}${unique()}`;
		const { code, link } = await ask(citizen, title);
		await expect(citizen.getByText('Chờ kiểm duyệt')).toBeVisible();

		// the moderator accepts it, removes the asker's name from the public text, routes it
		const moderator = await staffPage(browser, DEMO.moderator, javaScriptEnabled);
		// the queue is oldest first, a page at a time: the case is found by its code
		await moderator.goto(`/officials/questions?q=${code}`);
		await expect(moderator.getByRole('link', { name: code })).toBeVisible();
		await openCase(moderator, code);
		await expect(moderator.getByText(EMAIL)).toBeVisible();
		const body = moderator.getByLabel('Nội dung công khai');
		await body.fill(`Xin hỏi ${title.toLowerCase()} cần giấy tờ gì?`);
		await moderator.getByRole('button', { name: 'Tiếp nhận và chuyển', exact: true }).click();
		await expect(moderator.getByRole('status')).toContainText(/Đã chuyển đến .+; hạn trả lời /);
		await expect(moderator.getByText('Đang xử lý').first()).toBeVisible();

		// an official of another agency can neither see the case nor answer it
		const other = await staffPage(browser, QA_STAFF.otherOfficial, javaScriptEnabled);
		const caseUrl = moderator.url().replace(/\?.*$/, '');
		const denied = await other.goto(caseUrl);
		expect(denied?.status()).toBe(403);
		const origin = new URL(caseUrl).origin;
		const post = await other.request.post(`${caseUrl}?/draft`, {
			headers: { origin, accept: 'text/html' },
			multipart: { body: 'Một câu trả lời không được phép' }
		});
		expect(post.status()).toBe(403);
		expect(await post.text()).not.toContain('Một câu trả lời không được phép');

		// the commune's official drafts and submits; the approver publishes
		const official = await staffPage(browser, QA_STAFF.communeOfficial, javaScriptEnabled);
		await official.goto(caseUrl);
		await official
			.getByLabel('Nội dung trả lời')
			.fill(
				'Hồ sơ tách thửa gồm **đơn đề nghị** và Giấy chứng nhận. Căn cứ [Luật Đất đai 2024](https://vbpl.vn/).'
			);
		await official.getByRole('button', { name: 'Trình duyệt' }).click();
		await expect(official.getByRole('status')).toHaveText('Đã trình lãnh đạo duyệt.');
		await expect(official.getByText('chờ duyệt', { exact: false }).first()).toBeVisible();

		const approver = await staffPage(browser, QA_STAFF.communeApprover, javaScriptEnabled);
		await approver.goto(caseUrl);
		// an approver sees approve and return, never a drafting form that would refuse them
		await expect(approver.getByRole('button', { name: 'Trình duyệt' })).toHaveCount(0);
		await approver.getByRole('button', { name: 'Duyệt và công bố' }).click();
		await expect(approver.getByRole('status')).toContainText('Đã công bố câu trả lời');
		await expect(approver.getByRole('link', { name: 'Xem trang công khai' })).toBeVisible();
		await expect(approver.getByText('Đã trả lời').first()).toBeVisible();

		// the public page shows the answer, never the asker's name or contact
		const visitor = await (await browser.newContext({ javaScriptEnabled })).newPage();
		await visitor.goto(`/questions/${code}`);
		await expect(visitor.getByRole('heading', { level: 1 })).toHaveText(title);
		await expect(visitor.locator('.markdown strong')).toHaveText('đơn đề nghị');
		await expect(visitor.getByRole('link', { name: 'Luật Đất đai 2024' })).toHaveAttribute(
			'rel',
			'nofollow noopener noreferrer'
		);
		for (const path of [`/questions/${code}`, '/questions', '/questions/feed.xml']) {
			const html = await (await visitor.request.get(path)).text();
			expect(html, path).not.toContain(EMAIL);
			expect(html, path).not.toContain(NAME);
		}
		const feed = await (await visitor.request.get('/questions/feed.xml')).text();
		expect(feed).toContain(code);

		// the asker rates the answer through the private link
		await citizen.goto(link);
		await expect(citizen.getByText('Hồ sơ tách thửa gồm')).toBeVisible();
		await citizen.getByLabel('Hài lòng', { exact: true }).check();
		await citizen.getByRole('button', { name: 'Gửi đánh giá' }).click();
		await expect(citizen.getByRole('status')).toHaveText('Cảm ơn bạn đã đánh giá câu trả lời.');
		await expect(citizen.getByText('Đánh giá của bạn: Hài lòng')).toBeVisible();
		await visitor.goto(`/questions/${code}`);
		await expect(visitor.getByText('Đánh giá của người hỏi')).toBeVisible();
	});
}

test('a rejected question shows its reason on the private link', async ({ browser, page }) => {
	const { code, link } = await ask(page, `Câu hỏi sẽ bị từ chối ${unique()}`);
	const moderator = await staffPage(browser, DEMO.moderator, true);
	await openCase(moderator, code);
	await moderator
		.getByLabel('Lý do (người hỏi xem được)')
		.fill('Nội dung là khiếu nại; xin gửi theo thủ tục giải quyết khiếu nại.');
	await moderator.getByRole('button', { name: 'Không tiếp nhận', exact: true }).click();
	await expect(moderator.getByRole('status')).toHaveText(
		'Đã từ chối câu hỏi; người hỏi xem được lý do trên trang theo dõi.'
	);
	await page.goto(link);
	await expect(page.getByRole('heading', { name: 'Lý do không tiếp nhận' })).toBeVisible();
	await expect(
		page
			.getByRole('region', { name: 'Lý do không tiếp nhận' })
			.getByText('xin gửi theo thủ tục giải quyết khiếu nại')
	).toBeVisible();
	expect((await page.request.get(`/questions/${code}`)).status()).toBe(404);
});

test('the private link carries no file of an unpublished reply, not even in its page data', async ({
	browser,
	page
}) => {
	test.setTimeout(120_000);
	const n = unique();
	const { code, link } = await ask(page, `Hồ sơ chuyển mục đích sử dụng đất ${n}`);
	const moderator = await staffPage(browser, DEMO.moderator, true);
	await openCase(moderator, code);
	await moderator.getByRole('button', { name: 'Tiếp nhận và chuyển', exact: true }).click();
	await expect(moderator.getByText('Đang xử lý').first()).toBeVisible();
	const caseUrl = moderator.url().replace(/\?.*$/, '');

	// the commune's official drafts a reply with an internal file, and submits it
	const draftFile = `du-thao-noi-bo-${n}.pdf`;
	const official = await staffPage(browser, QA_STAFF.communeOfficial, true);
	await official.goto(caseUrl);
	await official.getByLabel('Nội dung trả lời').fill('Dự thảo trả lời kèm tài liệu nội bộ.');
	await official
		.getByLabel('Tệp đính kèm')
		.setInputFiles({ name: draftFile, mimeType: 'application/pdf', buffer: PDF });
	await official.getByRole('button', { name: 'Trình duyệt' }).click();
	await expect(official.getByText('chờ duyệt', { exact: false }).first()).toBeVisible();
	await expect(official.getByRole('link', { name: draftFile })).toBeVisible();

	// what the asker's browser receives: the page and its serialized data
	const received = async () => {
		const data = await page.request.get(`${link}/__data.json`);
		expect(data.status()).toBe(200);
		return (await data.text()) + (await (await page.request.get(link)).text());
	};
	const before = await received();
	expect(before).toContain('giay-to.pdf');
	expect(before).not.toContain(draftFile);

	// once published, the reply's file is the asker's to see
	const approver = await staffPage(browser, QA_STAFF.communeApprover, true);
	await approver.goto(caseUrl);
	await approver.getByRole('button', { name: 'Duyệt và công bố' }).click();
	await expect(approver.getByText('Đã trả lời').first()).toBeVisible();
	expect(await received()).toContain(draftFile);
	await page.goto(link);
	await expect(page.getByRole('link', { name: draftFile })).toBeVisible();
});

test('the ask form keeps everything typed when a field is wrong, without JavaScript', async ({
	browser
}) => {
	const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
	await page.goto('/questions/ask');
	await page.getByLabel('Lĩnh vực').selectOption({ label: 'Hộ tịch, cư trú' });
	await page.getByLabel('Tiêu đề câu hỏi').fill('Ngắn');
	await page.getByLabel('Nội dung câu hỏi').fill('Nội dung của tôi phải được giữ lại nguyên vẹn.');
	await page.getByLabel('Thư điện tử', { exact: true }).fill('khong-phai-email');
	await page.getByRole('button', { name: 'Gửi câu hỏi' }).click();
	const summary = page.getByRole('alert');
	await expect(summary).toBeVisible();
	await expect(summary.getByText('Tiêu đề cần ít nhất 10 ký tự.')).toBeVisible();
	await expect(summary.getByText('Thư điện tử chưa đúng định dạng')).toBeVisible();
	await expect(
		summary.getByText(/Để lại thư điện tử hoặc số điện thoại thì cần đánh dấu/)
	).toBeVisible();
	await expect(page.getByLabel('Nội dung câu hỏi')).toHaveValue(
		'Nội dung của tôi phải được giữ lại nguyên vẹn.'
	);
	await expect(page.getByLabel('Lĩnh vực')).toHaveValue('ho-tich');
	await expect(page.getByLabel('Thư điện tử', { exact: true })).toHaveValue('khong-phai-email');
});

test('axe finds nothing on the public question pages and the ask form', async ({ page }) => {
	const paths = [
		'/questions',
		'/questions?q=thu+tuc&state=answered',
		'/questions/ask',
		'/questions/stats'
	];
	for (const path of paths) {
		await page.goto(path);
		await expectNoAxeViolations(page);
	}
	await page.goto('/questions?q=dat+dai');
	await page.getByRole('link', { name: /Thủ tục đất đai khi cấp Giấy chứng nhận/ }).click();
	await expect(page.getByRole('heading', { level: 2, name: /Trả lời của/ })).toBeVisible();
	await expectNoAxeViolations(page);
	const { link } = await ask(page, `Câu hỏi kiểm tra khả năng tiếp cận ${unique()}`);
	await page.goto(link);
	await expectNoAxeViolations(page);
});
