import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { accessOf, allowed, pathOf } from './authz/lookup';
import { PERSONAS, type Persona } from './authz/personas';
import { publicPages, staffEntries } from './authz/routes';
import { RULES, type Fixtures } from './authz/rules';
import { Personas, prepare, SESSION_COOKIE } from './authz/setup';
import { DEMO, signIn } from './helpers';
import { linkIn, waitForMail } from './mail/inbox';
import { completePaged, startPaged } from './survey-helpers';
import { baseURL } from '../playwright.config';

/**
 * Reflow (WCAG 1.4.10): every page of the route tree, public and staff, for every persona who may
 * open it, at 320 CSS px, scrolls only up and down. A table too wide for a phone scrolls inside its
 * own labelled region instead. The same pass checks tap targets (axe's target-size: 24 x 24 px or
 * spaced as much) and that a focused control's ring stands out on the page.
 */

const WIDTH = 320;
const PHONE = { width: WIDTH, height: 640 };

type Finding = { path: string; problem: string };

/** What sticks out past the right edge, outside any region that scrolls on its own. */
async function overflow(page: Page): Promise<string | null> {
	return page.evaluate((width) => {
		const doc = document.documentElement;
		if (doc.scrollWidth <= width) return null;
		// inside a region that scrolls (or clips) and itself fits: not what widens the page
		const clipped = (el: Element) => {
			for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
				const style = getComputedStyle(p);
				const fits = p.getBoundingClientRect().right <= width + 1;
				if (fits && /(auto|scroll|hidden|clip)/.test(style.overflowX)) return true;
			}
			return false;
		};
		const name = (el: Element) =>
			el.tagName.toLowerCase() +
			(el.id ? `#${el.id}` : '') +
			(el.classList.length ? `.${[...el.classList].join('.')}` : '');
		const offenders = [...document.body.querySelectorAll('*')]
			.filter((el) => el.getBoundingClientRect().right > width + 1 && !clipped(el))
			.slice(0, 4)
			.map((el) => `${name(el)} (${Math.round(el.getBoundingClientRect().right)} px)`);
		return `${doc.scrollWidth} px wide: ${offenders.join(', ')}`;
	}, WIDTH);
}

async function targetSize(page: Page): Promise<string | null> {
	const { violations } = await new AxeBuilder({ page }).withRules(['target-size']).analyze();
	const nodes = violations.flatMap((v) => v.nodes.map((n) => n.target.join(' ')));
	return nodes.length ? `tap targets under 24 px: ${nodes.slice(0, 4).join(', ')}` : null;
}

async function check(page: Page, path: string, findings: Finding[]) {
	for (const problem of [await overflow(page), await targetSize(page)])
		if (problem) findings.push({ path, problem });
}

async function visit(page: Page, path: string, findings: Finding[]) {
	const response = await page.goto(path);
	expect(response?.status(), `GET ${path}`).toBe(200);
	await check(page, path, findings);
}

function report(findings: Finding[]) {
	expect(
		findings.map((f) => `${f.path}: ${f.problem}`),
		`pages that do not fit ${WIDTH} px`
	).toEqual([]);
}

/** The first link on `list` to a page of the form `pattern`. */
async function firstLink(page: Page, list: string, pattern: RegExp): Promise<string> {
	await page.goto(list);
	const hrefs = await page
		.locator('main a[href]')
		.evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
	const found = hrefs.find((href) => pattern.test(href));
	if (!found) throw new Error(`no link like ${pattern} on ${list}`);
	return found;
}

/** A question asked for the test; the asker's private tracking page. */
async function trackingPage(page: Page, email?: string): Promise<string> {
	await page.goto('/questions/ask');
	await page.getByLabel('Lĩnh vực').selectOption({ label: 'Đất đai' });
	await page.getByLabel('Địa bàn').selectOption({ label: 'Xã Vị Xuyên' });
	await page.getByLabel('Tiêu đề câu hỏi').fill('Thời hạn cấp giấy chứng nhận quyền sử dụng đất');
	await page
		.getByLabel('Nội dung câu hỏi')
		.fill('Xin hỏi thời hạn cấp giấy chứng nhận quyền sử dụng đất lần đầu là bao lâu?');
	if (email) await page.getByLabel('Thư điện tử', { exact: true }).fill(email);
	await page.getByLabel(/Tôi đồng ý/).check();
	await page.getByRole('button', { name: 'Gửi câu hỏi' }).click();
	await expect(page).toHaveURL(/\/questions\/track\/[^/?]+/);
	return new URL(page.url()).pathname;
}

/** A question asked with an e-mail address; the stop link of the acknowledgment it receives. */
async function stopPage(page: Page): Promise<string> {
	const email = `reflow.${Date.now()}@example.vn`;
	await trackingPage(page, email);
	const ack = await waitForMail(email, /Đã tiếp nhận câu hỏi/);
	return new URL(linkIn(ack, `${baseURL}/questions/stop/`)).pathname;
}

/** A kiosk link the admin makes for the demo's counter (in a browser of their own). */
async function kioskPage(page: Page): Promise<string> {
	const staff = await page.context().browser()!.newContext();
	try {
		const admin = await staff.newPage();
		await signIn(admin, DEMO.admin);
		await admin.goto('/staff/counters');
		await admin
			.locator('section.card')
			.filter({ has: admin.getByRole('heading', { name: 'Quầy số 1', exact: true }) })
			.getByRole('button', { name: 'Tạo đường dẫn máy đánh giá' })
			.click();
		return new URL((await admin.locator('[data-kiosk-link]').getAttribute('href'))!).pathname;
	} finally {
		await staff.close();
	}
}

/**
 * How a public page with [params] is reached. A page added to the tree without an entry here
 * fails the test, so it is never left out.
 */
const REACH: Record<string, (page: Page) => Promise<string>> = {
	'/kiosk/[token]': kioskPage,
	'/disclosures/[id]': (page) => firstLink(page, '/disclosures', /^\/disclosures\/\d+$/),
	'/plans/[id]': (page) => firstLink(page, '/plans', /^\/plans\/\d+$/),
	'/questions/[code]': (page) => firstLink(page, '/questions', /^\/questions\/[A-Z0-9-]+$/),
	'/questions/track/[token]': trackingPage,
	'/questions/stop/[token]': stopPage,
	'/results/[id]': (page) => firstLink(page, '/results', /^\/results\/\d+$/),
	'/service-quality/[month]': (page) =>
		firstLink(page, '/service-quality', /^\/service-quality\/\d{4}-\d{2}$/),
	'/surveys/[slug]': (page) => firstLink(page, '/surveys', /^\/surveys\/[^/]+$/)
};
/** Pages the survey walk opens (every step, the review and the receipt of each survey). */
const WALKED = ['/surveys/[slug]/step/[n]', '/surveys/[slug]/review', '/surveys/[slug]/thanks'];

test('every public page fits 320 px without scrolling sideways', async ({ page }) => {
	test.setTimeout(240_000);
	await page.setViewportSize(PHONE);
	const findings: Finding[] = [];
	const pages = publicPages();
	const unreachable = pages.filter(
		(route) => route.includes('[') && !REACH[route] && !WALKED.includes(route)
	);
	expect(unreachable, 'public pages this test does not know how to reach').toEqual([]);
	for (const route of pages.filter((r) => !WALKED.includes(r))) {
		const path = REACH[route] ? await REACH[route](page) : route;
		await visit(page, path, findings);
	}
	report(findings);
});

test('every page of each survey, its review and its receipt fit 320 px', async ({ page }) => {
	test.setTimeout(300_000);
	await page.setViewportSize(PHONE);
	await page.goto('/surveys');
	const slugs = [
		...new Set(
			await page.locator('main a[href]').evaluateAll((links) =>
				links
					.map((a) => new URL((a as HTMLAnchorElement).href).pathname)
					.filter((path) => /^\/surveys\/[^/]+$/.test(path))
					.map((path) => path.split('/')[2]!)
			)
		)
	];
	expect(slugs.length).toBeGreaterThan(0);
	const findings: Finding[] = [];
	for (const slug of slugs) {
		await page.goto(`/surveys/${slug}`);
		// a one-page survey has its questions on its own page (seen above); a paged one starts on
		// step 1, unless it is a sample's, which needs an invitation code
		if ((await page.getByRole('button', { name: 'Bắt đầu trả lời' }).count()) === 0) continue;
		if ((await page.getByLabel('Mã mời tham gia').count()) > 0) continue;
		await startPaged(page, slug);
		await completePaged(page, (p) => check(p, new URL(p.url()).pathname, findings));
		await check(page, new URL(page.url()).pathname, findings);
	}
	report(findings);
});

/** A browser signed in as the persona (with their session cookie). */
async function browserAs(browser: Browser, personas: Personas, persona: Persona, baseURL: string) {
	const context = await browser.newContext({ viewport: PHONE });
	const token = personas.token(persona);
	if (token) await context.addCookies([{ name: SESSION_COOKIE, value: token, url: baseURL }]);
	return context;
}

test.describe('staff pages at 320 px', () => {
	let personas: Personas;
	let fixtures: Fixtures;

	test.beforeAll(async ({ playwright, baseURL }) => {
		test.setTimeout(180_000);
		personas = new Personas(playwright.request, baseURL!);
		fixtures = await prepare(personas);
	});
	test.afterAll(async () => personas?.dispose());

	const signedIn = PERSONAS.filter((p) => p !== 'anonymous' && p !== 'disabled');
	for (const persona of signedIn)
		test(`every staff page ${persona} may open fits 320 px`, async ({ browser, baseURL }) => {
			test.setTimeout(240_000);
			const pages = staffEntries().filter((e) => e.op.kind === 'page');
			const mine = pages.filter((e) => allowed(accessOf(e)!, fixtures).includes(persona));
			expect(mine.length, `${persona} may open some staff page`).toBeGreaterThan(0);
			const context = await browserAs(browser, personas, persona, baseURL!);
			const page = await context.newPage();
			const findings: Finding[] = [];
			try {
				for (const entry of mine)
					await visit(page, pathOf(entry, fixtures) + (RULES[entry.route]?.query ?? ''), findings);
			} finally {
				await context.close();
			}
			report(findings);
		});
});

test('the focus ring stands out at 3:1 on the page and in the header', async ({ page }) => {
	await page.goto('/');
	const contrast = await page.evaluate(() => {
		const luminance = (css: string) => {
			const [r, g, b] = css
				.match(/\d+(\.\d+)?/g)!
				.slice(0, 3)
				.map(Number);
			const lin = (c: number) => {
				const s = c / 255;
				return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
			};
			return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
		};
		const ratio = (a: string, b: string) => {
			const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
			return (x! + 0.05) / (y! + 0.05);
		};
		const background = (el: Element): string => {
			for (let e: Element | null = el; e; e = e.parentElement) {
				const bg = getComputedStyle(e).backgroundColor;
				if (!/rgba\(0, 0, 0, 0\)|transparent/.test(bg)) return bg;
			}
			return 'rgb(255, 255, 255)';
		};
		// the best of the ring's colours against what surrounds the control
		const best = (el: HTMLElement) => {
			el.focus();
			const style = getComputedStyle(el);
			const around = background(el.parentElement!);
			const shadow = style.boxShadow.match(/rgba?\([^)]*\)/)?.[0];
			const colours = [style.outlineColor, ...(shadow ? [shadow] : [])];
			return Math.max(...colours.map((c) => ratio(c, around)));
		};
		return {
			main: best(document.querySelector<HTMLElement>('main a[href]')!),
			header: best(document.querySelector<HTMLElement>('header a[href]')!)
		};
	});
	expect(contrast.main).toBeGreaterThanOrEqual(3);
	expect(contrast.header).toBeGreaterThanOrEqual(3);
});
