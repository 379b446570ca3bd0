import { expect, test } from '@playwright/test';
import { ANSWER_TIMEOUT, expectNoAxeViolations, QA_STAFF, signIn } from './helpers';

/**
 * The monthly delay list: an official of Xã Vị Xuyên imports last month's dossiers with who
 * handled them, previews the list of the month (late dossiers per unit and official), prepares
 * it into a draft disclosure and submits it; the public page does not show it until the
 * commune's approver approves it, and then shows the officials' names and counts. Names and
 * codes carry the run's stamp, so the test can run again on the same database (the month's list
 * then gets a new version, which is again public only once approved).
 */
const stamp = Date.now().toString(36).toUpperCase();
const vn = new Date(Date.now() + 7 * 3600_000);
const [year, month] =
	vn.getUTCMonth() === 0 ? [vn.getUTCFullYear() - 1, 12] : [vn.getUTCFullYear(), vn.getUTCMonth()];
const mm = String(month).padStart(2, '0');
const day = (d: number) => `${String(d).padStart(2, '0')}/${mm}/${year}`;

const unit = `Phòng Tư pháp ${stamp}`;
const an = `Nguyễn Văn An ${stamp}`;
const binh = `Trần Thị Bình ${stamp}`;
const cuong = `Lê Văn Cường ${stamp}`;
const code = (n: number) => `000.00.17.H57-${stamp}-CT${n}`;
const HEADER =
	'Mã hồ sơ;Thủ tục;Lĩnh vực;Ngày tiếp nhận;Ngày hẹn trả;Ngày hoàn thành;Hình thức;Cán bộ xử lý;Đơn vị xử lý';
const CSV = {
	name: 'ho-so-thang-truoc.csv',
	mimeType: 'text/csv',
	buffer: Buffer.from(
		`\uFEFF${[
			HEADER,
			`${code(1)};Đăng ký khai sinh;Hộ tịch;${day(1)};${day(3)};${day(5)};Trực tiếp;${an};${unit}`,
			`${code(2)};Đăng ký kết hôn;Hộ tịch;${day(2)};${day(10)};${day(12)};Trực tiếp;${an};${unit}`,
			`${code(3)};Chứng thực chữ ký;Chứng thực;${day(2)};${day(4)};${day(8)};Trực tuyến;${binh};${unit}`,
			// on time: not on the list
			`${code(4)};Đăng ký khai tử;Hộ tịch;${day(5)};${day(10)};${day(9)};Trực tiếp;${cuong};${unit}`
		].join('\r\n')}\r\n`
	)
};

test('the delay list is published only after approval', async ({ browser }) => {
	test.setTimeout(180_000);
	const official = await (await browser.newContext()).newPage();
	await signIn(official, QA_STAFF.communeOfficial);
	await official.goto('/officials/dossiers');
	await official.getByLabel('Tệp CSV').setInputFiles(CSV);
	await official.getByRole('button', { name: 'Nhập hồ sơ' }).click();
	await expect(official.getByText('Đã nhập: 4 hồ sơ mới, 0 hồ sơ được cập nhật.')).toBeVisible({
		timeout: ANSWER_TIMEOUT
	});

	// the preview: a link of the month, per unit and official, never a dossier's code
	await official
		.getByRole('navigation')
		.getByRole('link', { name: 'Danh sách chậm trễ hằng tháng' })
		.click();
	await official.getByLabel('Tháng').selectOption(`${year}-${mm}`);
	await official.getByRole('button', { name: 'Xem trước' }).click();
	await expect(official.getByRole('heading', { name: `${unit}: 3 hồ sơ trễ hạn` })).toBeVisible({
		timeout: ANSWER_TIMEOUT
	});
	await expect(official.getByRole('heading', { name: `${an}: 2 hồ sơ` })).toBeVisible();
	await expect(official.getByRole('heading', { name: `${binh}: 1 hồ sơ` })).toBeVisible();
	// due on the 4th, completed on the 8th: 4 calendar days late
	await expect(
		official
			.getByRole('region', { name: `${binh}: 1 hồ sơ` })
			.getByRole('row', { name: /Chứng thực chữ ký/ })
			.getByRole('cell')
	).toHaveText(['Chứng thực chữ ký', 'Chứng thực', day(2), day(4), day(8), '4']);
	await expect(official.locator('main')).not.toContainText(cuong);
	await expect(official.locator('main')).not.toContainText(stamp + '-CT');
	await expectNoAxeViolations(official);
	// on a phone the tables scroll in their own regions, not the page
	await official.setViewportSize({ width: 320, height: 800 });
	expect(await official.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
		320
	);
	await official.setViewportSize({ width: 1280, height: 800 });

	// prepared (again, if an earlier run published this month's list): a draft, then submitted
	await official.getByRole('button', { name: /^Lập (lại )?danh sách/ }).click();
	await expect(official.getByText(/Đã lập danh sách tháng .* thành bản nháp/)).toBeVisible({
		timeout: ANSWER_TIMEOUT
	});
	await official.getByRole('link', { name: 'Mở mục công khai để trình phê duyệt' }).click();
	await official.waitForURL(/\/officials\/disclosures\/\d+$/);
	const id = new URL(official.url()).pathname.split('/').pop()!;
	await official.getByRole('button', { name: 'Trình duyệt' }).click();
	await expect(official.getByText('Đã trình lãnh đạo duyệt.')).toBeVisible({
		timeout: ANSWER_TIMEOUT
	});

	// the public does not see it yet
	const citizen = await (await browser.newContext()).newPage();
	await citizen.goto(`/disclosures/${id}`);
	await expect(citizen.locator('body')).not.toContainText(an);

	// the commune's approver (not the preparer) approves it
	const approver = await (await browser.newContext()).newPage();
	await signIn(approver, QA_STAFF.communeApprover);
	await approver.goto(`/officials/disclosures/${id}`);
	await approver.getByRole('button', { name: 'Duyệt và công bố' }).click();
	await expect(approver.getByText('Đã công bố — xem trang công khai.')).toBeVisible({
		timeout: ANSWER_TIMEOUT
	});

	// now public, with the officials' names and counts, and the table of late dossiers
	await expect(async () => {
		await citizen.goto(`/disclosures/${id}`);
		await expect(citizen.getByText(`${an}: 2 hồ sơ`).first()).toBeVisible({ timeout: 1000 });
	}).toPass({ timeout: ANSWER_TIMEOUT });
	await expect(citizen.getByText(`${binh}: 1 hồ sơ`).first()).toBeVisible();
	await expect(citizen.getByText(`${unit}: 3 hồ sơ trễ hạn`).first()).toBeVisible();
	await expect(
		citizen
			.getByRole('heading', {
				name: `Danh sách tổ chức, cá nhân gây chậm trễ trong giải quyết hồ sơ tháng ${mm}/${year}`
			})
			.first()
	).toBeVisible();
	await expect(citizen.locator('main')).not.toContainText(cuong);
	await expect(citizen.locator('main')).not.toContainText(`${stamp}-CT`);
	await expectNoAxeViolations(citizen);
});
