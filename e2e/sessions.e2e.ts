import { expect, test, type Browser, type BrowserContext } from '@playwright/test';
import { DEMO, signIn } from './helpers';
import { staffPage } from './attack-helpers';

/**
 * Sessions under attack, beyond what staff.e2e.ts (flags, rotation on sign-in) and
 * tests/db/auth.test.ts (idle and absolute expiry with a moved clock, disabled accounts) prove:
 * a cookie planted before sign-in, reuse after sign-out, "sign out on every device", and an
 * account disabled while signed in. Each test uses an account of its own, created by the admin,
 * so that ending its sessions touches no other test.
 */
const PASSWORD = 'Phien-lam-viec-2026!';

async function newAccount(browser: Browser, label: string): Promise<string> {
	const email = `phien.${label}.${Date.now()}@demo.civicvoice.vn`;
	const admin = await staffPage(browser, DEMO.admin);
	await admin.goto('/admin');
	const create = admin.locator('form[action="?/create"]');
	await create.locator('input[name="email"]').fill(email);
	await create.locator('input[name="displayName"]').fill(`Phiên ${label}`);
	await create.locator('input[name="password"]').fill(PASSWORD);
	await create.getByRole('button').click();
	await expect(admin.getByText(email).first()).toBeVisible();
	await admin.context().close();
	return email;
}

const sessionOf = async (context: BrowserContext) =>
	(await context.cookies()).find((c) => c.name === 'cv_session');

/** Whether the context's cookie still opens the staff page (else: the sign-in redirect). */
async function opensStaff(context: BrowserContext): Promise<boolean> {
	const response = await context.request.get('/staff', { maxRedirects: 0 });
	return response.status() === 200;
}

test('a session cookie planted before sign-in is neither accepted nor kept', async ({
	browser,
	baseURL
}) => {
	const email = await newAccount(browser, 'codinh');
	const context = await browser.newContext();
	const planted = 'AAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB';
	await context.addCookies([{ name: 'cv_session', value: planted, url: baseURL! }]);
	// not a session: the staff area still sends to sign-in, and the cookie is cleared
	expect(await opensStaff(context)).toBe(false);
	await context.addCookies([{ name: 'cv_session', value: planted, url: baseURL! }]);
	const page = await context.newPage();
	await signIn(page, email, PASSWORD);
	const issued = await sessionOf(context);
	expect(issued?.value).toBeTruthy();
	expect(issued?.value).not.toBe(planted);
	expect(issued?.value.split('.')[0]).not.toBe(planted.split('.')[0]);
	expect(issued).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true, path: '/' });
	// the planted value opens nothing after the victim signed in
	const attacker = await browser.newContext();
	await attacker.addCookies([{ name: 'cv_session', value: planted, url: baseURL! }]);
	expect(await opensStaff(attacker)).toBe(false);
});

test('signing in with a cookie naming someone else’s session leaves that session alone', async ({
	browser,
	baseURL
}) => {
	const [victimEmail, attackerEmail] = [
		await newAccount(browser, 'nannhan'),
		await newAccount(browser, 'tancong')
	];
	const victim = await browser.newContext();
	await signIn(await victim.newPage(), victimEmail, PASSWORD);
	const victimId = (await sessionOf(victim))!.value.split('.')[0];
	// the id half of the victim's token, with a made-up secret, sent along with valid credentials
	const attacker = await browser.newContext();
	const response = await attacker.request.post('/sign-in', {
		headers: { origin: baseURL!, accept: 'text/html', cookie: `cv_session=${victimId}.forged` },
		form: { email: attackerEmail, password: PASSWORD },
		maxRedirects: 0
	});
	expect(response.status()).toBe(303);
	expect(await opensStaff(victim)).toBe(true);
});

test('after sign-out the old cookie is refused by the server, not only forgotten by the browser', async ({
	browser,
	baseURL
}) => {
	const email = await newAccount(browser, 'dangxuat');
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, email, PASSWORD);
	const before = (await sessionOf(context))!;
	expect(await opensStaff(context)).toBe(true);
	await page.getByRole('button', { name: 'Đăng xuất', exact: true }).click();
	await expect(page.getByRole('link', { name: 'Đăng nhập cán bộ' }).first()).toBeVisible();
	const replay = await browser.newContext();
	await replay.addCookies([{ ...before, domain: undefined, path: undefined, url: baseURL! }]);
	const response = await replay.request.get('/staff', { maxRedirects: 0 });
	expect(response.status()).toBe(303);
	expect(response.headers()['location']).toMatch(/^\/sign-in\?next=/);
});

test('"sign out on every device" ends every session of the account, and only its own', async ({
	browser
}) => {
	const email = await newAccount(browser, 'moithietbi');
	const laptop = await browser.newContext();
	const phone = await browser.newContext();
	const laptopPage = await laptop.newPage();
	await signIn(laptopPage, email, PASSWORD);
	await signIn(await phone.newPage(), email, PASSWORD);
	const bystander = await staffPage(browser, DEMO.interviewer);
	expect([await opensStaff(laptop), await opensStaff(phone)]).toEqual([true, true]);

	await laptopPage.goto('/staff');
	await laptopPage.getByRole('button', { name: 'Đăng xuất khỏi mọi thiết bị' }).click();
	await expect(laptopPage.getByRole('link', { name: 'Đăng nhập cán bộ' }).first()).toBeVisible();
	expect({
		laptop: await opensStaff(laptop),
		phone: await opensStaff(phone),
		otherAccount: await opensStaff(bystander.context())
	}).toEqual({ laptop: false, phone: false, otherAccount: true });
});

test('disabling an account ends its sessions at once', async ({ browser }) => {
	const email = await newAccount(browser, 'khoa');
	const user = await browser.newContext();
	await signIn(await user.newPage(), email, PASSWORD);
	expect(await opensStaff(user)).toBe(true);
	const admin = await staffPage(browser, DEMO.admin);
	await admin.goto('/admin');
	const row = admin
		.getByRole('row')
		.filter({ has: admin.getByRole('button', { name: 'Khóa tài khoản' }) })
		.filter({ hasText: email });
	await row.getByRole('button', { name: 'Khóa tài khoản' }).click();
	await expect(
		admin.getByRole('row').filter({ hasText: email }).filter({ hasText: 'Đã khóa' })
	).toHaveCount(1);
	expect(await opensStaff(user)).toBe(false);
});
