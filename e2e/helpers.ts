import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

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
	'/sign-in'
] as const;

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
	await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

/** Tries to sign in with credentials that must fail; waits for the error. */
export async function failSignIn(page: Page, email: string, password: string) {
	await page.goto('/sign-in');
	await submitSignIn(page, email, password);
	await expect(page.getByRole('alert')).toBeVisible();
}

export async function signOut(page: Page) {
	await page.getByRole('button', { name: 'Đăng xuất', exact: true }).click();
	await expect(page.getByRole('link', { name: 'Đăng nhập cán bộ' }).first()).toBeVisible();
}

type Files = Parameters<Page['setInputFiles']>[1];

/**
 * Creates a draft quarterly commune budget report of xã Vị Xuyên (the official must act for the
 * commune); resolves once the draft's page is shown.
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
	await page.getByRole('button', { name: 'Tạo dự thảo' }).click();
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
	await page.getByRole('button', { name: 'Tạo kế hoạch' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(p.title);
}
