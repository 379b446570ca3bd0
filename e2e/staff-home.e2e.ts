import { expect, test, type Locator, type Page } from '@playwright/test';
import { AREA_ROLES, hasAnyRole, type Grant, type StaffArea } from '$lib/auth/access';
import { DEMO_LOGINS, GRANTS, type Persona } from './authz/personas';
import {
	createPlan,
	DEMO,
	draftDisclosure,
	expectNoAxeViolations,
	QA_STAFF,
	sendDisclosureForReview,
	signIn,
	unique
} from './helpers';

/**
 * Where a link leads, read from the address the browser resolved: the server writes links
 * relative to the page ('./officials/…') and hydration makes them absolute, whichever is first.
 */
async function expectLinkTo(link: Locator, path: string) {
	await expect
		.poll(() =>
			link.evaluate((a) => {
				const url = new URL((a as HTMLAnchorElement).href);
				return url.pathname + url.search;
			})
		)
		.toBe(path);
}

/**
 * The staff home and the staff menu, for each demo persona. The menu's expectations come from
 * the personas' grants and the areas' roles; the counts are checked against the pages they link
 * to (read at the same moment, retried while another test changes the same data) or against
 * items made here.
 */

const MENU: readonly { label: string; href: string; area: StaffArea | 'any' }[] = [
	{ label: 'Trang làm việc', href: '/staff', area: 'any' },
	{ label: 'Xử lý hỏi đáp', href: '/officials/questions', area: 'officials' },
	{ label: 'Công khai thông tin', href: '/officials/disclosures', area: 'officials' },
	{
		label: 'Tình hình thực hiện công khai',
		href: '/officials/disclosures/compliance',
		area: 'officials'
	},
	{ label: 'Kế hoạch cải thiện chỉ số', href: '/officials/plans', area: 'officials' },
	{ label: 'Hồ sơ một cửa', href: '/officials/dossiers', area: 'officials' },
	{ label: 'Thư xin lỗi', href: '/officials/letters', area: 'officials' },
	{ label: 'Danh sách chậm trễ hằng tháng', href: '/officials/delays', area: 'officials' },
	{ label: 'Phân tích khảo sát', href: '/analytics', area: 'analytics' },
	{ label: 'Tổ chức khảo sát', href: '/fieldwork', area: 'fieldwork' },
	{ label: 'Quản trị', href: '/admin', area: 'admin' },
	{ label: 'Thông báo gửi đi', href: '/admin/notifications', area: 'admin' },
	{ label: 'Kết nối hệ thống một cửa', href: '/admin/dossiers', area: 'admin' }
];

const grantsOf = (persona: Persona): Grant[] =>
	GRANTS[persona].map((g) => ({ role: g.role, agencyId: null, unitId: null }));

/** The sections of the home a person's roles call for, in the page's order. */
function sectionsOf(persona: Persona): string[] {
	const grants = grantsOf(persona);
	const agency = hasAnyRole(grants, ['official', 'approver']);
	return [
		...(agency || hasAnyRole(grants, ['moderator']) ? ['Hỏi đáp'] : []),
		...(agency ? ['Công khai thông tin', 'Báo cáo kết quả thực hiện kế hoạch'] : []),
		...(hasAnyRole(grants, ['analyst', 'admin']) ? ['Đợt khảo sát'] : []),
		...(hasAnyRole(grants, ['admin']) ? ['Tài khoản'] : [])
	];
}

const staffMenu = (page: Page) =>
	page.getByRole('navigation', { name: 'Chức năng dành cho cán bộ' });

function escape(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The count link of the home whose label is `label` ("3 Câu hỏi chờ kiểm duyệt"). */
const countLink = (page: Page, label: string): Locator =>
	page.getByRole('main').getByRole('link', { name: new RegExp(`^\\d+ ${escape(label)}$`) });

async function homeCount(page: Page, label: string): Promise<number> {
	await page.goto('/staff');
	return Number((await countLink(page, label).locator('.count').textContent())!.trim());
}

/** The rows of the first table of the page at `path`, with `has` in them if given. */
async function rows(page: Page, path: string, has?: RegExp | string): Promise<number> {
	await page.goto(path);
	const all = page.locator('main table').first().locator('tbody tr');
	return (has ? all.filter({ hasText: has }) : all).count();
}

for (const persona of Object.keys(DEMO_LOGINS) as Persona[]) {
	test(`${persona}: signs in to the staff home; the menu lists exactly the places the roles open`, async ({
		page
	}) => {
		test.setTimeout(120_000);
		await page.setViewportSize({ width: 320, height: 800 });
		await signIn(page, DEMO_LOGINS[persona]!);
		await expect(page).toHaveURL(/\/staff$/);
		const grants = grantsOf(persona);
		const allowed = MENU.filter((e) => e.area === 'any' || hasAnyRole(grants, AREA_ROLES[e.area]));

		const menu = staffMenu(page);
		await expect(menu.getByRole('link')).toHaveText(allowed.map((e) => e.label));
		expect(
			await menu.getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')))
		).toEqual(allowed.map((e) => e.href));
		await expect(menu.locator('[aria-current="page"]')).toHaveText('Trang làm việc');

		// the home shows the sections of the roles held, each count a link
		await expect(page.getByRole('main').getByRole('heading', { level: 3 })).toHaveText(
			sectionsOf(persona)
		);
		// nothing scrolls sideways on a 320 px phone, and axe finds nothing
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
			320
		);
		await expectNoAxeViolations(page);

		// every place offered opens, and the menu marks it as the current page
		for (const e of allowed.slice(1)) {
			const response = await page.goto(e.href);
			expect(response?.status(), `${persona} ${e.href}`).toBe(200);
			await expect(staffMenu(page).locator('[aria-current="page"]')).toHaveText(e.label);
		}
	});
}

test('the moderator counts the questions waiting for moderation, one more after a citizen asks', async ({
	browser,
	page
}) => {
	test.setTimeout(120_000);
	await signIn(page, DEMO.moderator);
	const label = 'Câu hỏi chờ kiểm duyệt';
	await expectLinkTo(countLink(page, label), '/officials/questions?view=moderation');
	const queue = '/officials/questions?view=moderation';
	await expect(async () => {
		expect(await homeCount(page, label)).toBe(await rows(page, queue));
	}).toPass({ timeout: 30_000 });
	const before = await homeCount(page, label);

	const citizen = await (await browser.newContext()).newPage();
	await citizen.goto('/questions/ask');
	await citizen.getByLabel('Lĩnh vực').selectOption({ label: 'Đất đai' });
	await citizen.getByLabel('Địa bàn').selectOption({ label: 'Xã Vị Xuyên' });
	await citizen.getByLabel('Tiêu đề câu hỏi').fill(`Thủ tục cấp đổi sổ đỏ ${unique()}`);
	await citizen
		.getByLabel('Nội dung câu hỏi')
		.fill('Xin hỏi thủ tục cấp đổi Giấy chứng nhận quyền sử dụng đất cần những giấy tờ gì?');
	await citizen.getByLabel('Thư điện tử', { exact: true }).fill('hoi.e2e@example.vn');
	await citizen.getByLabel(/Tôi đồng ý/).check();
	await citizen.getByRole('button', { name: 'Gửi câu hỏi' }).click();
	await expect(citizen.getByText('Đã gửi câu hỏi. Mã theo dõi:')).toBeVisible();

	expect(await homeCount(page, label)).toBeGreaterThanOrEqual(before + 1);
	await expect(async () => {
		expect(await homeCount(page, label)).toBe(await rows(page, queue));
	}).toPass({ timeout: 30_000 });
});

test("an official's counts are the agency queue's questions and those past their deadline", async ({
	page
}) => {
	await signIn(page, DEMO.official);
	const queue = '/officials/questions?view=agency';
	await expectLinkTo(countLink(page, 'Câu hỏi giao cơ quan bạn trả lời'), queue);
	await expect(async () => {
		expect(await homeCount(page, 'Câu hỏi giao cơ quan bạn trả lời')).toBe(await rows(page, queue));
		expect(await homeCount(page, 'Câu hỏi quá hạn trả lời')).toBe(
			await page.locator('main tbody tr.overdue').count()
		);
	}).toPass({ timeout: 30_000 });
	// an official approves nothing
	await expect(countLink(page, 'Câu trả lời chờ bạn duyệt')).toHaveCount(0);
	await expect(countLink(page, 'Bản nháp chờ bạn duyệt')).toHaveCount(0);
});

test('a disclosure draft counts as its writer’s until sent, then as the approver’s', async ({
	browser,
	page
}) => {
	test.setTimeout(120_000);
	const mine = 'Bản nháp của bạn chưa trình duyệt';
	const toApprove = 'Bản nháp chờ bạn duyệt';
	await signIn(page, QA_STAFF.communeOfficial);
	const before = await homeCount(page, mine);
	const title = `Thực hiện ngân sách xã Vị Xuyên quý 3/2025 (${unique()})`;
	await draftDisclosure(page, {
		title,
		period: '2025-Q3',
		effective: '2025-10-10',
		files: {
			name: 'bao-cao.pdf',
			mimeType: 'application/pdf',
			buffer: Buffer.from('%PDF-1.4\n%%EOF\n')
		}
	});
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
	const draft = page.url();
	expect(await homeCount(page, mine)).toBe(before + 1);
	await expectLinkTo(countLink(page, mine), '/officials/disclosures');
	// the writer approves nothing: no count of drafts to approve
	await expect(countLink(page, toApprove)).toHaveCount(0);

	await page.goto(draft);
	await sendDisclosureForReview(page);
	expect(await homeCount(page, mine)).toBe(before);

	// the approver's count is the agency's items waiting for approval, this one among them
	const approver = await (await browser.newContext()).newPage();
	await signIn(approver, QA_STAFF.communeApprover);
	await expect(async () => {
		expect(await homeCount(approver, toApprove)).toBe(
			await rows(approver, '/officials/disclosures', /chờ duyệt/)
		);
	}).toPass({ timeout: 30_000 });
	expect(await rows(approver, '/officials/disclosures', title)).toBe(1);
	await expect(countLink(approver, mine)).toHaveCount(0);
});

test("the analyst's wave counts are the fieldwork list's open and draft waves", async ({
	page
}) => {
	await signIn(page, DEMO.analyst);
	await expectLinkTo(countLink(page, 'Đợt khảo sát đang mở'), '/fieldwork');
	await expect(async () => {
		const open = await homeCount(page, 'Đợt khảo sát đang mở');
		const drafts = await homeCount(page, 'Đợt chưa mở');
		await page.goto('/fieldwork');
		const waves = page.getByRole('region', { name: 'Đợt khảo sát' }).locator('tbody tr');
		expect(open).toBe(await waves.filter({ hasText: 'Đang mở' }).count());
		expect(drafts).toBe(await waves.filter({ hasText: 'Bản nháp' }).count());
	}).toPass({ timeout: 30_000 });
	expect(await homeCount(page, 'Đợt đã qua ngày kết thúc, cần đóng')).toBeLessThanOrEqual(
		await homeCount(page, 'Đợt khảo sát đang mở')
	);
});

test("the administrator's account counts are the account list's active and disabled rows", async ({
	page
}) => {
	await signIn(page, DEMO.admin);
	await expect(async () => {
		const active = await homeCount(page, 'Tài khoản đang hoạt động');
		const disabled = await homeCount(page, 'Tài khoản đã khóa');
		// the account list, a page of 25 at a time
		let rows = 0;
		let locked = 0;
		for (let n = 1; n <= 40; n++) {
			await page.goto(`/admin?page=${n}`);
			const accounts = page.locator('main table').first().locator('tbody tr');
			const here = await accounts.count();
			rows += here;
			locked += await accounts
				.filter({ has: page.getByRole('cell', { name: 'Đã khóa', exact: true }) })
				.count();
			if (here < 25) break;
		}
		expect(disabled).toBe(locked);
		expect(active).toBe(rows - locked);
	}).toPass({ timeout: 30_000 });
});

test("a commune official's plan reports are the overdue reports the plan page flags on the commune's tasks", async ({
	browser,
	page
}) => {
	test.setTimeout(120_000);
	// the province's department makes a plan with a task led by the commune
	const owner = await (await browser.newContext()).newPage();
	await signIn(owner, DEMO.official);
	const title = `Kế hoạch nâng cao Chỉ số PAPI (${unique()})`;
	await createPlan(owner, { title, frequency: 'quarterly' });
	const planPath = new URL(owner.url()).pathname;
	await owner.goto(`${planPath}/tasks/new`);
	// tied to a sub-dimension: the plan page flags overdue reports in its score table
	await owner.getByLabel('Chỉ số nội dung/Nội dung thành phần').selectOption({ index: 1 });
	await owner.getByLabel('Nhiệm vụ, giải pháp').fill('Tổ chức đối thoại với người dân của xã.');
	await owner.getByLabel('Cơ quan chủ trì').selectOption({ label: 'Ủy ban nhân dân xã Vị Xuyên' });
	await owner.getByRole('button', { name: 'Thêm nhiệm vụ' }).click();
	await expect(owner.getByRole('status')).toContainText('Đã thêm nhiệm vụ vào kế hoạch');

	// the periods the plan page flags as overdue on the commune's task
	const flagged = owner
		.getByRole('listitem')
		.filter({ hasText: 'Ủy ban nhân dân xã Vị Xuyên' })
		.locator('.flag-overdue');
	const periods = (await flagged.count())
		? (await flagged.textContent())!.replace(/^[^:]*:/, '').split(',').length
		: 0;

	await signIn(page, QA_STAFF.communeOfficial);
	const row = page
		.getByRole('region', { name: 'Báo cáo kết quả thực hiện kế hoạch' })
		.getByRole('listitem')
		.filter({ has: page.getByRole('link', { name: title, exact: true }) });
	if (periods === 0) {
		await expect(row).toHaveCount(0);
	} else {
		await expect(row).toContainText(`${periods} báo cáo quá hạn`);
		await expectLinkTo(row.getByRole('link'), planPath);
	}
	// the owner's department leads no task of it: nothing due for its official
	await owner.goto('/staff');
	await expect(owner.getByRole('link', { name: title, exact: true })).toHaveCount(0);
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });
	test('the staff menu takes the official from page to page', async ({ page }) => {
		await signIn(page, DEMO.official);
		await expect(page).toHaveURL(/\/staff$/);
		await staffMenu(page).getByRole('link', { name: 'Tình hình thực hiện công khai' }).click();
		await expect(page).toHaveURL(/\/officials\/disclosures\/compliance$/);
		await expect(staffMenu(page).locator('[aria-current="page"]')).toHaveText(
			'Tình hình thực hiện công khai'
		);
		await staffMenu(page).getByRole('link', { name: 'Trang làm việc' }).click();
		await expect(page).toHaveURL(/\/staff$/);
		await expect(countLink(page, 'Câu hỏi giao cơ quan bạn trả lời')).toBeVisible();
	});
});
