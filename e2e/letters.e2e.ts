import { expect, test } from '@playwright/test';
import { ANSWER_TIMEOUT, expectNoAxeViolations, QA_STAFF, signIn, unique } from './helpers';
import { waitForMail } from './mail/inbox';

/**
 * An apology letter for a late dossier: an official of Xã Vị Xuyên imports a dossier handled
 * late, drafts its letter from the template, fills in the reason; the letter cannot be printed
 * before approval, and its drafter cannot approve it; the commune's approver approves it and the
 * print page shows it in the administrative form with the dossier's facts, without the staff
 * navigation on paper. The one-stop system's export carried the applicant's e-mail: the approved
 * letter reaches it. An official of another agency neither sees nor opens it.
 */
const HEADER =
	'Mã hồ sơ;Thủ tục;Lĩnh vực;Ngày tiếp nhận;Ngày hẹn trả;Ngày hoàn thành;Hình thức;Số lần bổ sung;Thư điện tử';

test('a late dossier gets a letter that is approved and printed', async ({ browser }) => {
	test.setTimeout(180_000);
	const stamp = unique();
	// due in 2024: among the oldest late dossiers, so listed first
	const procedure = `Đăng ký khai sinh ${stamp}`;
	const applicant = `nguoi.nop.${stamp}@example.vn`.toLowerCase();
	const official = await (await browser.newContext()).newPage();
	await signIn(official, QA_STAFF.communeOfficial);
	await official.goto('/officials/dossiers');
	await official.getByLabel('Tệp CSV').setInputFiles({
		name: 'ho-so-tre.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from(
			`\uFEFF${HEADER}\r\nVX-THU-${stamp};${procedure};Hộ tịch;02/01/2024;04/01/2024;09/01/2024;Trực tiếp;0;${applicant}\r\n`
		)
	});
	await official.getByRole('button', { name: 'Nhập hồ sơ' }).click();
	await expect(official.getByText('Đã nhập: 1 hồ sơ mới, 0 hồ sơ được cập nhật.')).toBeVisible({
		timeout: ANSWER_TIMEOUT
	});

	// the list of late dossiers without a letter, and the draft made from the template
	await official.getByRole('link', { name: 'Thư xin lỗi' }).click();
	const row = official.getByRole('row').filter({ hasText: procedure });
	await expect(row.getByRole('cell').nth(5)).toHaveText('5');
	await expectNoAxeViolations(official);
	await row.getByRole('button', { name: new RegExp(`^Soạn thư\\s?: ${procedure}$`) }).click();
	await expect(official.getByRole('heading', { name: `Thư xin lỗi: ${procedure}` })).toBeVisible({
		timeout: ANSWER_TIMEOUT
	});
	const letterUrl = official.url().replace(/\?.*$/, '');
	const body = official.getByLabel('Nội dung thư');
	const draft = await body.inputValue();
	expect(draft).toContain(
		`thủ tục “${procedure}” (lĩnh vực Hộ tịch), hẹn trả kết quả ngày 04/01/2024`
	);
	expect(draft).toContain('giải quyết xong ngày 09/01/2024, chậm 5 ngày');
	expect(draft).not.toContain(`VX-THU-${stamp}`);
	await expect(official.getByText('Còn chỗ trống cần điền: [lý do chậm trễ]')).toBeVisible();

	// not printable while a draft
	const early = await official.request.get(`${letterUrl}/print`);
	expect(early.status()).toBe(404);

	await body.fill(
		draft.replace('[lý do chậm trễ]', 'hồ sơ phải xác minh thông tin tại nơi cư trú cũ')
	);
	await official.getByLabel('Kính gửi (Ông/Bà …)').fill('Ông Hoàng Văn Nam');
	await official.getByLabel('Họ tên người ký').fill('Nguyễn Thị Lan');
	await official.getByRole('button', { name: 'Lưu dự thảo' }).click();
	await expect(official.getByText('Đã lưu dự thảo thư.')).toBeVisible({ timeout: ANSWER_TIMEOUT });
	// the export carried the applicant's e-mail: approving will send the letter there
	await expect(official.locator('[data-delivery]')).toContainText(
		'khi được phê duyệt, thư sẽ được gửi đến địa chỉ đó'
	);
	// an official does not approve
	await expect(official.getByRole('button', { name: 'Phê duyệt thư' })).toHaveCount(0);
	await expectNoAxeViolations(official);
	await official.close();

	// the commune's approver approves it
	const approver = await (await browser.newContext()).newPage();
	await signIn(approver, QA_STAFF.communeApprover);
	await approver.goto(letterUrl);
	await approver.getByRole('button', { name: 'Phê duyệt thư' }).click();
	await expect(
		approver.getByText(
			'Đã phê duyệt thư và gửi đến địa chỉ liên hệ của công dân qua kênh thông báo.'
		)
	).toBeVisible({ timeout: ANSWER_TIMEOUT });
	await expect(approver.locator('[data-letter-state]')).toHaveText('Đã phê duyệt và gửi');
	// the applicant's e-mail from the export receives the letter itself
	const mail = await waitForMail(
		applicant,
		new RegExp(`^Thư xin lỗi của Ủy ban nhân dân xã Vị Xuyên về hồ sơ “${procedure}”$`)
	);
	for (const text of [
		'THƯ XIN LỖI',
		'Kính gửi: Ông Hoàng Văn Nam',
		'Lý do chậm trễ: hồ sơ phải xác minh thông tin tại nơi cư trú cũ.',
		'Nguyễn Thị Lan'
	])
		expect(mail.text).toContain(text);
	expect(mail.text).not.toContain(`VX-THU-${stamp}`);

	// printed: the administrative form with the facts, the navigation left off the paper
	await approver.getByRole('link', { name: 'In thư' }).click();
	const sheet = approver.getByRole('article', { name: 'Thư xin lỗi để in' });
	await expect(sheet).toBeVisible({ timeout: ANSWER_TIMEOUT });
	for (const text of [
		'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
		'Độc lập - Tự do - Hạnh phúc',
		'ỦY BAN NHÂN DÂN XÃ VỊ XUYÊN',
		'THƯ XIN LỖI',
		'Kính gửi: Ông Hoàng Văn Nam',
		`thủ tục “${procedure}”`,
		'chậm 5 ngày',
		'Lý do chậm trễ: hồ sơ phải xác minh thông tin tại nơi cư trú cũ.',
		'Nguyễn Thị Lan'
	])
		await expect(sheet).toContainText(text);
	await expect(sheet).toContainText(/Vị Xuyên, ngày \d{2} tháng \d{1,2} năm \d{4}/);
	await expectNoAxeViolations(approver);
	await approver.emulateMedia({ media: 'print' });
	await expect(approver.getByRole('navigation', { name: /./ }).first()).toBeHidden();
	await expect(approver.getByRole('button', { name: 'In thư' })).toBeHidden();
	await expect(sheet).toBeVisible();
	await approver.goto(letterUrl);
	await expect(approver.getByText(/In lần đầu:/)).toBeVisible();
	await approver.close();

	// another agency's official: not listed, not opened, not printed
	const other = await (await browser.newContext()).newPage();
	await signIn(other, QA_STAFF.otherOfficial);
	await other.goto('/officials/letters');
	await expect(other.getByText(procedure)).toHaveCount(0);
	for (const url of [letterUrl, `${letterUrl}/print`])
		expect((await other.request.get(url)).status()).toBe(403);
	await other.close();
});
