import { request as httpRequest } from 'node:http';
import { expect, test, type Browser, type BrowserContext } from '@playwright/test';
import { DEMO, signIn, unique } from './helpers';
import { staffPage } from './attack-helpers';

/**
 * Sessions under attack, beyond what staff.e2e.ts (flags, rotation on sign-in) and
 * tests/db/auth.test.ts (idle and absolute expiry with a moved clock, disabled accounts) prove:
 * a cookie planted before sign-in, reuse after sign-out, "sign out on every device", and an
 * account disabled while signed in. Each test uses an account of its own, created by the admin,
 * so that ending its sessions touches no other test; the sign-in throttle test attacks a demo
 * account that no other test fails to sign in to.
 */
const PASSWORD = 'Phien-lam-viec-2026!';

async function newAccount(browser: Browser, label: string): Promise<string> {
	const email = `phien.${label}.${unique()}@demo.civicvoice.vn`;
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

/**
 * The attacker of the throttle test: a second client to the server without trusting any header.
 * The test server sees the browser as 127.0.0.1; this posts from 127.0.0.2, another address of
 * the loopback interface, so the server's getClientAddress() (the socket's address) differs.
 */
const ATTACKER_ADDRESS = '127.0.0.2';

function postSignInFrom(
	localAddress: string,
	baseURL: string,
	form: Record<string, string>,
	headers: Record<string, string> = {}
): Promise<{ status: number; retryAfter: string | undefined; body: string }> {
	const url = new URL('/sign-in', baseURL);
	const data = new URLSearchParams(form).toString();
	return new Promise((resolve, reject) => {
		const req = httpRequest(
			{
				host: localAddress,
				port: url.port,
				localAddress,
				method: 'POST',
				path: url.pathname,
				headers: {
					...headers,
					host: url.host,
					origin: url.origin,
					accept: 'text/html',
					'content-type': 'application/x-www-form-urlencoded',
					'content-length': Buffer.byteLength(data)
				}
			},
			(res) => {
				let body = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => (body += chunk));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						retryAfter: res.headers['retry-after'],
						body
					})
				);
			}
		);
		req.on('error', (e: NodeJS.ErrnoException) =>
			reject(
				e.code === 'EADDRNOTAVAIL' || e.code === 'ECONNREFUSED'
					? new Error(
							`this test acts as a second client from ${localAddress}, which this machine's loopback interface does not answer (${e.code}); on Linux all of 127.0.0.0/8 is loopback, elsewhere add the address (macOS: sudo ifconfig lo0 alias ${localAddress})`
						)
					: e
			)
		);
		req.end(data);
	});
}

test('ten wrong passwords from one client neither keep the owner out nor let the guesser go faster', async ({
	page,
	baseURL
}) => {
	const owner = 'lanhdao.noivu@demo.civicvoice.vn';
	const guess = (i: number, headers?: Record<string, string>) =>
		postSignInFrom(
			ATTACKER_ADDRESS,
			baseURL!,
			{ email: owner, password: `doan-sai-${i}` },
			headers
		);
	// ten wrong passwords from the guesser's client: five checked and refused like any other, then
	// five sent at once
	for (let i = 0; i < 5; i++) expect((await guess(i)).status).toBe(400);
	const burst = await Promise.all([5, 6, 7, 8, 9].map((i) => guess(i)));
	// the owner, from their own browser, signs in at once with the right password
	await signIn(page, owner);
	await expect(page.getByRole('button', { name: 'Đăng xuất', exact: true })).toBeVisible();
	// the guesser must wait: of the five sent at once, at most one was checked
	const waiting = burst.filter((r) => r.status === 429);
	expect(waiting.length).toBeGreaterThanOrEqual(4);
	// told so in words, with Retry-After, and the e-mail kept in the form
	const told = waiting[0]!;
	expect(Number(told.retryAfter)).toBeGreaterThanOrEqual(1);
	expect(told.body).toMatch(
		/Có quá nhiều lần đăng nhập không thành công\. Vui lòng thử lại sau \d+ (giây|phút)\./
	);
	expect(told.body).toContain(`value="${owner}"`);
	// a forged X-Forwarded-For does not make the guesser a new client: no header is trusted
	// unless ADDRESS_HEADER says so (behind a proxy)
	const forged = await Promise.all(
		['198.51.100.1', '198.51.100.2', '198.51.100.3'].map((address, i) =>
			guess(10 + i, { 'x-forwarded-for': address })
		)
	);
	expect(forged.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(2);
});
