import { expect, test, type Page } from '@playwright/test';
import QRCode from 'qrcode';
import { ANSWER_TIMEOUT, DEMO, expectNoAxeViolations, QA_STAFF, signIn } from './helpers';

/**
 * The one-stop counter's dossiers: an official of Xã Vị Xuyên imports the month's dossiers from
 * the CSV their one-stop system exports (previewed first; a file with bad rows is refused line by
 * line), prints the receipt slip of one, and a citizen without JavaScript, on a phone, rates that
 * dossier by the slip's address; a second rating of it is refused. Codes carry the run's stamp so
 * the test can run again on the same database.
 */
const stamp = Date.now().toString(36).toUpperCase();
const code = (n: number) => `000.00.17.H57-${stamp}-000${n}`;

const HEADER =
	'Mã hồ sơ;Thủ tục;Lĩnh vực;Ngày tiếp nhận;Ngày hẹn trả;Ngày hoàn thành;Hình thức;Số lần bổ sung';
const csv = (...rows: string[]) => ({
	name: 'ho-so-thang-1.csv',
	mimeType: 'text/csv',
	buffer: Buffer.from(`\uFEFF${[HEADER, ...rows].join('\r\n')}\r\n`)
});
const GOOD = csv(
	`${code(1)};Đăng ký khai sinh;Hộ tịch;05/01/2026 08:15;07/01/2026;06/01/2026;Trực tiếp;0`,
	`${code(2)};Chứng thực bản sao từ bản chính;Chứng thực;05/01/2026;05/01/2026;05/01/2026;Trực tuyến;0`,
	`${code(3)};Đăng ký kết hôn;Hộ tịch;06/01/2026;09/01/2026;12/01/2026;Trực tiếp;1`
);

test('an official imports dossiers, prints a slip, and a citizen rates the dossier once', async ({
	browser,
	baseURL
}) => {
	test.setTimeout(180_000);
	const official = await (await browser.newContext()).newPage();
	await signIn(official, QA_STAFF.communeOfficial);
	await official.goto('/officials/dossiers');
	const file = official.getByLabel('Tệp CSV');

	// a file with bad rows: nothing written, every problem with its line
	await file.setInputFiles(
		csv(
			`${code(1)};Đăng ký khai sinh;Hộ tịch;31/02/2026;;;Trực tiếp;0`,
			`${code(2)};Chứng thực;;05/01/2026;;;qua mạng;0`
		)
	);
	await official.getByRole('button', { name: 'Nhập hồ sơ' }).click();
	const problems = official.getByRole('list', { name: /Tệp chưa được nhập/ });
	await expect(problems.getByRole('listitem')).toHaveText(
		[
			'Dòng 2: ngày “31/02/2026” không đúng dạng dd/mm/yyyy.',
			'Dòng 3: thiếu lĩnh vực.',
			'Dòng 3: hình thức “qua mạng” không hợp lệ; dùng “trực tuyến” hoặc “trực tiếp”.'
		],
		{ timeout: ANSWER_TIMEOUT }
	);

	// the good file: previewed, then imported; imported again, it only updates
	await file.setInputFiles(GOOD);
	await official.getByRole('button', { name: 'Kiểm tra trước' }).click();
	await expect(
		official.getByText('Tệp hợp lệ: sẽ thêm 3 hồ sơ mới và cập nhật 0 hồ sơ.')
	).toBeVisible({
		timeout: ANSWER_TIMEOUT
	});
	await file.setInputFiles(GOOD);
	await official.getByRole('button', { name: 'Nhập hồ sơ' }).click();
	await expect(official.getByText('Đã nhập: 3 hồ sơ mới, 0 hồ sơ được cập nhật.')).toBeVisible({
		timeout: ANSWER_TIMEOUT
	});
	await file.setInputFiles(GOOD);
	await official.getByRole('button', { name: 'Nhập hồ sơ' }).click();
	await expect(official.getByText('Đã nhập: 0 hồ sơ mới, 3 hồ sơ được cập nhật.')).toBeVisible({
		timeout: ANSWER_TIMEOUT
	});
	await expectNoAxeViolations(official);

	// the receipt slip: its QR code is the rating page's address with the code in it
	await official.getByRole('link', { name: 'In phiếu đánh giá cho người nộp hồ sơ' }).click();
	await official.getByLabel('Mã hồ sơ').fill(code(2).toLowerCase());
	await official.getByRole('button', { name: 'Tạo phiếu' }).click();
	const slip = official.getByRole('region', { name: 'Mời ông/bà đánh giá việc giải quyết hồ sơ' });
	await expect(slip).toBeVisible({ timeout: ANSWER_TIMEOUT });
	const address = `${new URL('/danh-gia', baseURL).toString()}?ma=${encodeURIComponent(code(2))}`;
	await expect(slip).toHaveAttribute('data-url', address);
	await expect(slip).toContainText(`${new URL(baseURL!).host}/danh-gia`);
	const qr = await QRCode.toString(address, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
	await expect(
		slip.getByRole('img', { name: 'Mã QR dẫn đến trang đánh giá hồ sơ này' })
	).toHaveAttribute('src', `data:image/svg+xml;base64,${Buffer.from(qr).toString('base64')}`);
	await expectNoAxeViolations(official);
	await official.close();

	// the citizen: a phone without JavaScript, arriving from the QR code
	const phone = { width: 320, height: 640 };
	const noScript = await browser.newContext({ javaScriptEnabled: false, viewport: phone });
	const withScript = await browser.newContext({ viewport: phone });
	const rate = async (citizen: Page) => {
		await citizen.goto(new URL(address).pathname + new URL(address).search);
		await expect(citizen.getByLabel('Mã hồ sơ')).toHaveValue(code(2));
		const group = (name: RegExp) => citizen.getByRole('group', { name });
		await group(/Nhìn chung/)
			.getByLabel('Hài lòng', { exact: true })
			.check();
		await group(/Thái độ, tác phong/)
			.getByLabel('Rất hài lòng')
			.check();
		await group(/phiền hà, nhũng nhiễu/)
			.getByLabel('Không')
			.check();
		await group(/thời hạn theo quy định/)
			.getByLabel('Đúng hạn')
			.check();
		await group(/Số lần phải đến/)
			.getByLabel('1 lần')
			.check();
		await citizen.getByLabel(/Thời gian chờ/).fill('20');
		await group(/công khai, minh bạch/)
			.getByLabel('Bình thường')
			.check();
		await citizen.getByRole('button', { name: 'Gửi đánh giá' }).click();
	};
	const fits = async (page: Page) =>
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
			320
		);
	const first = await noScript.newPage();
	await rate(first);
	await expect(first.getByRole('heading', { name: 'Cảm ơn ông/bà đã đánh giá' })).toBeVisible({
		timeout: ANSWER_TIMEOUT
	});
	expect(first.url()).toBe(new URL('/danh-gia/cam-on', baseURL).toString());
	await expect(first.locator('body')).not.toContainText(code(2));
	await noScript.close();

	// axe runs scripts: the same pages, and the second rating, on a phone with JavaScript
	const citizen = await withScript.newPage();
	await citizen.goto('/danh-gia/cam-on');
	await expectNoAxeViolations(citizen);
	await citizen.goto('/danh-gia');
	await fits(citizen);
	await expectNoAxeViolations(citizen);
	// the second rating of the same dossier is refused beside the code, the answers kept
	await rate(citizen);
	await expect(citizen.getByText('Hồ sơ này đã được đánh giá.').first()).toBeVisible({
		timeout: ANSWER_TIMEOUT
	});
	await expect(citizen.getByLabel(/Thời gian chờ/)).toHaveValue('20');
	await expect(
		citizen.getByRole('group', { name: /Nhìn chung/ }).getByLabel('Hài lòng', { exact: true })
	).toBeChecked();
	await fits(citizen);
	await expectNoAxeViolations(citizen);
	await withScript.close();
});

test('a one-stop system sends dossiers with its agency’s token, and only with it', async ({
	browser,
	request
}) => {
	test.setTimeout(120_000);
	const admin = await (await browser.newContext()).newPage();
	await signIn(admin, DEMO.admin);
	await admin.goto('/admin/dossiers');
	await admin
		.getByLabel('Cơ quan', { exact: true })
		.selectOption({ label: 'Ủy ban nhân dân xã Vị Xuyên' });
	await admin.getByLabel('Tên kết nối').fill(`Một cửa ${stamp}`);
	await admin.getByRole('button', { name: 'Tạo mã truy cập' }).click();
	const shown = admin.locator('code.token');
	await expect(shown).toBeVisible({ timeout: ANSWER_TIMEOUT });
	const token = (await shown.textContent())!.trim();
	await admin.close();

	const body = {
		dossiers: [
			{
				code: `API-${stamp}-1`,
				procedure: 'Cấp bản sao trích lục hộ tịch',
				field: 'Hộ tịch',
				received: '2026-01-07',
				due: '2026-01-08',
				channel: 'online'
			}
		]
	};
	const post = (authorization?: string) =>
		request.post('/api/dossiers', {
			data: body,
			headers: authorization ? { authorization } : {}
		});
	expect((await post()).status()).toBe(401);
	expect((await post('Bearer cvd_not-a-real-token-at-all-000000')).status()).toBe(401);
	const first = await post(`Bearer ${token}`);
	expect(first.status(), await first.text()).toBe(200);
	expect(await first.json()).toMatchObject({ created: 1, updated: 0 });
	const again = await post(`Bearer ${token}`);
	expect(await again.json()).toMatchObject({ created: 0, updated: 1 });
	const bad = await request.post('/api/dossiers', {
		data: { dossiers: [{ ...body.dossiers[0], received: '31/02/2026' }] },
		headers: { authorization: `Bearer ${token}` }
	});
	expect(bad.status()).toBe(400);
	expect(await bad.json()).toMatchObject({
		error: 'invalid',
		problems: [{ line: 1, code: 'date_invalid', value: '31/02/2026' }]
	});
	const malformed = await request.post('/api/dossiers', {
		data: '{"dossiers": [',
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
	});
	expect(malformed.status()).toBe(400);
});
