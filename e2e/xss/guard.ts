import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';

/** What a page reported while the corpus was on it. */
interface Findings {
	dialogs: string[];
	calls: string[];
	violations: string[];
	console: string[];
}

/**
 * Installs the detectors in every page of the context before any of the page's own script runs:
 * `window.__xss(n)` records a call, a `securitypolicyviolation` listener records what the
 * Content Security Policy refused; dialogs (alert, confirm, prompt) and console messages about
 * the policy are recorded from outside.
 */
export async function guard(context: BrowserContext) {
	await context.addInitScript(() => {
		const w = window as unknown as { __xss: (n: unknown) => void; __xssFound: string[][] };
		w.__xssFound = [[], []];
		w.__xss = (n) => {
			w.__xssFound[0].push(String(n));
		};
		document.addEventListener(
			'securitypolicyviolation',
			(e) => {
				w.__xssFound[1].push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
			},
			true
		);
	});
}

const outside = new WeakMap<Page, { dialogs: string[]; console: string[] }>();

function watch(page: Page) {
	if (outside.has(page)) return outside.get(page)!;
	const seen = { dialogs: [] as string[], console: [] as string[] };
	page.on('dialog', async (dialog) => {
		seen.dialogs.push(`${dialog.type()}(${dialog.message()})`);
		await dialog.dismiss().catch(() => {});
	});
	page.on('console', (message) => {
		if (/Content Security Policy|Refused to/i.test(message.text()))
			seen.console.push(message.text());
	});
	page.on('pageerror', (error) => {
		if (/__xss|alert|confirm|prompt/.test(error.message)) seen.console.push(error.message);
	});
	outside.set(page, seen);
	return seen;
}

/** A signed-in (or anonymous) page whose context carries the detectors. */
export async function guardedPage(browser: Browser, storageState?: string): Promise<Page> {
	const context = await browser.newContext(storageState ? { storageState } : {});
	await guard(context);
	const page = await context.newPage();
	watch(page);
	return page;
}

/** Markup the corpus must never produce: handlers, script URLs, frames of foreign content. */
function dangerousMarkup(): string[] {
	const found: string[] = [];
	const schemes = /^\s*(?:javascript|vbscript|livescript|data:text\/html)/i;
	for (const el of Array.from(document.querySelectorAll('*'))) {
		for (const attr of Array.from(el.attributes)) {
			const name = attr.name.toLowerCase();
			if (name.startsWith('on') || name === 'srcdoc') {
				found.push(`<${el.localName} ${name}>`);
			} else if (
				[
					'href',
					'src',
					'action',
					'formaction',
					'data',
					'xlink:href',
					'background',
					'poster'
				].includes(name) &&
				schemes.test(attr.value.replace(/[\s\p{Cc}]/gu, ''))
			) {
				found.push(`<${el.localName} ${name}="${attr.value.slice(0, 60)}">`);
			}
		}
	}
	return found;
}

/**
 * Opens `path`, lets the page settle (hydration, charts), then fails if a dialog opened, a
 * detector was called, the policy refused anything, or dangerous markup is in the DOM. When
 * `shows` is given, that text must be in the page as text: proof the payload was rendered, encoded.
 */
export async function expectClean(page: Page, path: string, shows?: string | string[]) {
	const seen = watch(page);
	seen.dialogs.length = 0;
	seen.console.length = 0;
	const response = await page.goto(path);
	expect(response?.status(), `${path} answered`).toBeLessThan(400);
	await expectNothingRan(page, path, shows);
}

/**
 * The checks of `expectClean` on the page as it is (reached by a click or a form, not by
 * `goto`); what the page reported since the last `expectClean` on it counts too.
 */
export async function expectNothingRan(page: Page, path: string, shows?: string | string[]) {
	const seen = watch(page);
	await page.waitForLoadState('load');
	// handlers the page has queued (onerror of a broken image, onfocus, animations) have run
	// once two frames are drawn, however slow the machine
	await page.evaluate(
		() =>
			new Promise<void>((drawn) =>
				requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(drawn)))
			)
	);
	const inPage = await page.evaluate(() => {
		const w = window as unknown as { __xssFound?: string[][] };
		return { found: w.__xssFound ?? [[], []] };
	});
	const markup = await page.evaluate(dangerousMarkup);
	const findings: Findings = {
		dialogs: seen.dialogs,
		calls: inPage.found[0],
		violations: inPage.found[1],
		console: seen.console
	};
	expect(findings, `${path}: no script ran and nothing was refused`).toEqual({
		dialogs: [],
		calls: [],
		violations: [],
		console: []
	});
	expect(markup, `${path}: no dangerous markup in the DOM`).toEqual([]);
	for (const text of typeof shows === 'string' ? [shows] : (shows ?? [])) {
		const shown = await page.evaluate(
			(t) => (document.title + '\n' + document.body.innerText).includes(t),
			text
		);
		expect(shown, `${path} shows ${JSON.stringify(text.slice(0, 80))} as text`).toBe(true);
	}
}

/** `count` pages of `page`'s context (same session, same detectors), to open pages side by side. */
export async function pool(page: Page, count: number): Promise<Page[]> {
	const more = await Promise.all(Array.from({ length: count - 1 }, () => page.context().newPage()));
	return [page, ...more];
}

/** `expectClean` on every item, a few at a time over the pages of `pages`. */
export async function expectAllClean(
	pages: Page[],
	items: { path: string; shows?: string | string[] }[]
) {
	let next = 0;
	await Promise.all(
		pages.map(async (page) => {
			while (next < items.length) {
				const item = items[next++];
				await expectClean(page, item.path, item.shows);
			}
		})
	);
}
