import { expect, test } from '@playwright/test';
import {
	DEMO,
	DEMO_PASSWORD,
	expectNoAxeViolations,
	failSignIn,
	signIn,
	signOut,
	submitSignIn
} from './helpers';

const AREAS = ['/officials', '/fieldwork', '/analytics', '/admin'] as const;
const EXPECTED: Record<keyof typeof DEMO, readonly (typeof AREAS)[number][]> = {
	admin: ['/fieldwork', '/admin'],
	official: ['/officials'],
	moderator: ['/officials'],
	analyst: ['/fieldwork', '/analytics'],
	interviewer: []
};

for (const [role, email] of Object.entries(DEMO) as [keyof typeof DEMO, string][]) {
	test(`the ${role} reaches only the areas the role allows, then signs out`, async ({ page }) => {
		await signIn(page, email);
		await expect(page).toHaveURL(/\/staff$/);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Trang làm việc');
		for (const area of AREAS) {
			const response = await page.goto(area);
			if (EXPECTED[role].includes(area)) {
				expect(response?.status(), `${role} ${area}`).toBe(200);
				await expect(page.getByRole('heading', { level: 1 })).not.toHaveText(/Lỗi/);
			} else {
				expect(response?.status(), `${role} ${area}`).toBe(403);
				await expect(page.getByRole('heading', { level: 1 })).toHaveText('Lỗi 403');
				await expect(page.getByRole('main')).toContainText('Trang này cần vai trò:');
			}
		}
		await signOut(page);
		const after = await page.goto(EXPECTED[role][0] ?? '/staff');
		expect(after?.status()).toBe(200);
		await expect(page).toHaveURL(/\/sign-in\?next=/);
	});
}

test('a wrong password and an unknown e-mail get the same generic error', async ({ page }) => {
	await failSignIn(page, DEMO.official, 'not-the-password');
	await expect(page.getByRole('alert')).toHaveText('Thư điện tử hoặc mật khẩu không đúng.');
	await expect(page.getByLabel('Địa chỉ thư điện tử')).toHaveValue(DEMO.official);
	await failSignIn(page, 'nobody@demo.civicvoice.vn', 'whatever-password');
	await expect(page.getByRole('alert')).toHaveText('Thư điện tử hoặc mật khẩu không đúng.');
	await expectNoAxeViolations(page);
});

test('a staff URL without a session goes to sign-in and comes back after it', async ({ page }) => {
	await page.goto('/admin');
	await expect(page).toHaveURL(/\/sign-in\?next=%2Fadmin$/);
	await submitSignIn(page, DEMO.admin, DEMO_PASSWORD);
	await expect(page).toHaveURL(/\/admin$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Quản trị hệ thống');
});

test('a staff form action is refused without the role, before it runs', async ({ page }) => {
	await signIn(page, DEMO.analyst);
	await expect(page).toHaveURL(/\/staff$/);
	const response = await page.request.post('/admin?/create', {
		headers: { origin: new URL(page.url()).origin },
		form: { email: 'sneaky@example.vn', displayName: 'X', password: 'long enough pw' }
	});
	expect(response.status()).toBe(403);
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });
	test('a staff member signs in and out', async ({ page }) => {
		await signIn(page, DEMO.moderator);
		await expect(page).toHaveURL(/\/staff$/);
		await page.goto('/officials');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Xử lý hỏi đáp và công khai');
		await signOut(page);
	});
});

test('the session cookie is HttpOnly, SameSite=Lax and Secure, and sign-in rotates it', async ({
	page,
	context,
	baseURL
}) => {
	await signIn(page, DEMO.official);
	const first = (await context.cookies()).find((c) => c.name === 'cv_session');
	expect(first).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true, path: '/' });
	// signing in again from the same browser, which still carries the first session
	const again = await page.request.post('/sign-in', {
		headers: { origin: baseURL!, accept: 'text/html' },
		form: { email: DEMO.official, password: DEMO_PASSWORD, next: '/staff' },
		maxRedirects: 0
	});
	expect(again.status(), await again.text()).toBe(303);
	const second = (await context.cookies()).find((c) => c.name === 'cv_session');
	expect(second?.value).toBeTruthy();
	expect(second?.value).not.toBe(first?.value);
	// the first token no longer opens anything
	await context.clearCookies();
	await context.addCookies([first!]);
	await page.goto('/officials');
	await expect(page).toHaveURL(/\/sign-in/);
});
