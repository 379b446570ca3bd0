import { expect, test, type Page } from '@playwright/test';
import { DEMO, QA_STAFF } from './helpers';
import { staffPage } from './attack-helpers';

/**
 * On a slow phone, or a busy test machine, people type before the page's script has run. When it
 * runs, hydration must keep every value, choice and tick they gave: a form that silently wipes
 * one sends something else than what they see (this made a browser test fail on a loaded
 * machine). Each page is loaded with its scripts held back, every control of its forms is
 * changed, the scripts are let go, and the controls must read the same once the app has started.
 */

/** Changes every visible control of every form on the page as a user would. */
function changeEveryControl(page: Page) {
	return page.evaluate(() => {
		for (const el of document.querySelectorAll('form input, form select, form textarea')) {
			if (el instanceof HTMLSelectElement) el.selectedIndex = el.options.length - 1;
			else if (el instanceof HTMLTextAreaElement) el.value = `x${el.value}y`;
			else if (!(el instanceof HTMLInputElement) || el.disabled) continue;
			else if (['hidden', 'file', 'submit'].includes(el.type)) continue;
			else if (el.type === 'checkbox' || el.type === 'radio') el.checked = !el.checked;
			else if (el.type === 'date') el.value = '2024-01-02';
			else if (el.type === 'number') el.value = '7';
			else el.value = `x${el.value}y`;
		}
	});
}

function controls(page: Page) {
	return page.evaluate(() =>
		[...document.querySelectorAll('form input, form select, form textarea')].map((el) => {
			if (el instanceof HTMLSelectElement)
				return `${el.name}=${[...el.selectedOptions].map((o) => o.value).join(';')}`;
			const input = el as HTMLInputElement;
			return `${input.name}=${input.type === 'checkbox' || input.type === 'radio' ? input.checked : input.value}`;
		})
	);
}

/** The first link on `path` whose address matches `pattern`, as the page lists it. */
async function firstLink(page: Page, path: string, pattern: RegExp) {
	await page.goto(path);
	// the address each link leads to: the server writes links relative, hydration makes them
	// absolute, and this may run before or after it
	const hrefs = await page
		.locator('main a[href]')
		.evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
	const href = hrefs.find((h) => pattern.test(h));
	expect(href, `a link like ${pattern} on ${path}`).toBeDefined();
	return href!;
}

const PAGES: { path: string | ((page: Page) => Promise<string>); as?: string }[] = [
	{ path: '/sign-in' },
	{ path: '/questions' },
	{ path: '/questions/ask' },
	{ path: '/disclosures' },
	{ path: '/officials/disclosures/new', as: QA_STAFF.communeOfficial },
	{ path: '/officials/questions', as: DEMO.official },
	{ path: '/officials/plans', as: DEMO.official },
	{ path: '/admin', as: DEMO.admin },
	{ path: '/admin/calendar', as: DEMO.admin },
	{ path: '/admin/disclosure-types', as: DEMO.admin },
	{ path: '/analytics', as: DEMO.analyst },
	{ path: '/fieldwork', as: DEMO.analyst },
	{ path: (p) => firstLink(p, '/fieldwork', /^\/fieldwork\/waves\/\d+$/), as: DEMO.analyst },
	{
		path: async (p) =>
			firstLink(
				p,
				await firstLink(p, '/fieldwork', /^\/fieldwork\/instruments\/\d+$/),
				/\/questions\/[^/]+$/
			),
		as: DEMO.analyst
	}
];

for (const [i, { path, as }] of PAGES.entries()) {
	const name = typeof path === 'string' ? path : `page ${i + 1} (found by link)`;
	test(`hydration keeps what was entered before it: ${name}`, async ({ browser }) => {
		const page = as ? await staffPage(browser, as) : await (await browser.newContext()).newPage();
		const url = typeof path === 'string' ? path : await path(page);
		let release!: () => void;
		const released = new Promise<void>((r) => (release = r));
		await page.route('**/_app/immutable/**/*.js', async (route) => {
			await released;
			await route.continue();
		});
		await page.goto(url, { waitUntil: 'domcontentloaded' });
		await changeEveryControl(page);
		const entered = await controls(page);
		expect(entered.length, url).toBeGreaterThan(0);
		release();
		// SvelteKit starts its router (which sets manual scroll restoration) once hydration is done
		await page.waitForFunction(() => history.scrollRestoration === 'manual');
		expect(await controls(page), url).toEqual(entered);
	});
}
