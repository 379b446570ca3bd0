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
