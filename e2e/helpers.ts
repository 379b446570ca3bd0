import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'CivicVoice-demo-2026';
export const DEMO = {
	admin: 'admin@demo.civicvoice.vn',
	official: 'canbo.noivu@demo.civicvoice.vn',
	moderator: 'kiemduyet@demo.civicvoice.vn',
	analyst: 'phantich@demo.civicvoice.vn',
	interviewer: 'dieutravien@demo.civicvoice.vn'
} as const;

/** Staff of the questions-and-answers flow (not in DEMO: their areas are the official's). */
export const QA_STAFF = {
	communeOfficial: 'canbo.vixuyen@demo.civicvoice.vn',
	communeApprover: 'lanhdao.vixuyen@demo.civicvoice.vn',
	otherOfficial: 'canbo.noivu@demo.civicvoice.vn'
} as const;

export const PUBLIC_PAGES = [
	'/',
	'/surveys',
	'/questions',
	'/disclosures',
	'/plans',
	'/danh-gia',
	'/service-quality',
	'/sign-in'
] as const;

/**
 * How long a form's answer may take: an upload checked, stored and the next page drawn, on a
 * two-core machine that also runs the other worker's browser and the server (over 5 s there).
 */
export const ANSWER_TIMEOUT = 30_000;

/** Clicks a form's submit button and waits, within ANSWER_TIMEOUT, until `outcome` is shown. */
export async function submitAndWait(page: Page, button: string, outcome: Locator) {
	await page.getByRole('button', { name: button, exact: true }).click();
	await expect(outcome.first()).toBeVisible({ timeout: ANSWER_TIMEOUT });
}

/**
 * Sends an official's disclosure draft for approval and waits until the page says version
 * `version` awaits it: an approver who opens the draft before that sees no button to approve.
 */
export function sendDisclosureForReview(official: Page, version = 1) {
	return submitAndWait(
		official,
		'Trình duyệt',
		official.getByText(`Phiên bản ${version} chờ duyệt`)
	);
}

/** The summary a form shows above its fields when the server refused what was sent. */
export const formRefusal = (page: Page) => page.getByRole('alert');

let stamped = 0;

/**
 * Digits no other test of this run gets, for the titles, codes and e-mails a test finds its own
 * objects by while the other worker creates objects on the same server: the worker's index
 * (never reused within a run) and a count within the worker, at a fixed width so that one stamp
 * is never part of another. (A clock reading can repeat.)
 */
export function unique(): string {
	const worker = String(test.info().workerIndex).padStart(3, '0');
	return `${worker}${String(++stamped).padStart(4, '0')}`;
}

export async function expectNoAxeViolations(page: Page) {
	const results = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
		.analyze();
	expect(
		results.violations.map(
			(v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`
		)
	).toEqual([]);
}

/** Fills and sends the sign-in form; resolves once the answer page is shown. */
export async function submitSignIn(page: Page, email: string, password: string) {
	await page.getByLabel('Địa chỉ thư điện tử').fill(email);
	await page.getByLabel('Mật khẩu').fill(password);
	await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
}

/** Signs in and waits until the portal has let the user in. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
	await page.goto('/sign-in');
	await submitSignIn(page, email, password);
	await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'), {
		timeout: ANSWER_TIMEOUT
	});
}

/** Tries to sign in with credentials that must fail; waits for the error. */
export async function failSignIn(page: Page, email: string, password: string) {
	await page.goto('/sign-in');
	await submitSignIn(page, email, password);
	await expect(formRefusal(page)).toBeVisible({ timeout: ANSWER_TIMEOUT });
}

export async function signOut(page: Page) {
	await page.getByRole('button', { name: 'Đăng xuất', exact: true }).click();
	await expect(page.getByRole('link', { name: 'Đăng nhập cán bộ' }).first()).toBeVisible();
}

type Files = Parameters<Page['setInputFiles']>[1];

/**
 * Fills and sends the form of a draft quarterly commune budget report of xã Vị Xuyên (the
 * official must act for the commune); resolves once the answer is shown: the new draft's page,
 * or the form with the server's errors.
 */
export async function draftDisclosure(
	page: Page,
	d: {
		title: string;
		period: string;
		effective: string;
		files: Files;
		summary?: string;
		body?: string;
	}
) {
	await page.goto('/officials/disclosures/new');
	await page
		.getByLabel('Loại thông tin')
		.selectOption({ label: 'Tình hình thực hiện dự toán ngân sách xã hằng quý' });
	await page.getByLabel('Địa bàn').selectOption({ label: 'Xã Vị Xuyên' });
	await page.getByLabel('Kỳ', { exact: true }).fill(d.period);
	await page.getByLabel('Tiêu đề').fill(d.title);
	await page.getByLabel('Tóm tắt').fill(d.summary ?? 'Tệp kiểm tra.');
	await page.getByLabel('Nội dung', { exact: true }).fill(d.body ?? 'Kiểm tra.');
	await page.getByLabel('Ngày có hiệu lực').fill(d.effective);
	await page.getByLabel('Thêm tệp').setInputFiles(d.files);
	const created = page.getByRole('heading', { level: 1, name: d.title, exact: true });
	await submitAndWait(page, 'Tạo dự thảo', created.or(formRefusal(page)));
}

/** Creates a PAPI plan of Sở Nội vụ for the province; resolves on the new plan's page. */
export async function createPlan(
	page: Page,
	p: { title: string; frequency: 'yearly' | 'quarterly'; weakBelowPercent?: string }
) {
	await page.goto('/officials/plans');
	await page.getByLabel('Tiêu đề').fill(p.title);
	await page
		.getByLabel('Cơ quan quản lý kế hoạch')
		.selectOption({ label: 'Sở Nội vụ tỉnh Tuyên Quang' });
	await page.getByLabel('Địa bàn').selectOption({ label: 'Tỉnh Tuyên Quang' });
	await page.getByLabel('Bộ chỉ số').selectOption({ label: 'PAPI' });
	await page.getByLabel('Kỳ báo cáo').selectOption(p.frequency);
	if (p.weakBelowPercent)
		await page.getByLabel('Ngưỡng yếu (% thang điểm)').fill(p.weakBelowPercent);
	await submitAndWait(
		page,
		'Tạo kế hoạch',
		page.getByRole('heading', { level: 1, name: p.title, exact: true })
	);
}
