import { expect, test, type Page } from '@playwright/test';
import { DEMO, PUBLIC_PAGES, signIn } from './helpers';

/**
 * English pages say in English everything the interface says, and mark what only exists in
 * Vietnamese (unit names, agency names without an English form, citizens' questions, officials'
 * answers, disclosure titles) as lang="vi", so a screen reader reads it with a Vietnamese voice
 * and a translation tool knows what to translate.
 */

// letters only Vietnamese writes
const VIETNAMESE = '[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]';

// interface strings once left in Vietnamese on English pages
const KNOWN = ['Hỏi đáp', 'Công khai', 'Đã thu hồi', 'chờ duyệt', 'Quý ', 'thg ', 'Tỉnh ', 'Xã '];

/**
 * Vietnamese text and labels of the page that no lang="vi" element holds. English may name a
 * Vietnamese place or feast ("Vị Xuyên Commune People's Committee", "Tết"): a piece of text
 * (between · , : ( ) —) is Vietnamese when one of its lower-case words has a Vietnamese letter,
 * or when all its words are capitalised, one has a Vietnamese letter and none is English.
 */
async function unmarkedVietnamese(page: Page): Promise<string[]> {
	const found = await page.evaluate((letters) => {
		const hasLetter = new RegExp(letters, 'i');
		const english =
			/^(Commune|Ward|Province|Provincial|People’s|People's|Committee|Department|One-Stop|Shop|Centre|Office|Kings’|Tết)$/;
		const vietnamese = (text: string) =>
			text.split(/[·,:;()—–/]+/).some((piece) => {
				const words = piece.split(/\s+/).filter((w) => /\p{L}/u.test(w));
				if (!words.some((w) => hasLetter.test(w))) return false;
				if (words.some((w) => hasLetter.test(w) && /^\p{Ll}/u.test(w))) return true;
				return words.every((w) => /^\p{Lu}/u.test(w)) && !words.some((w) => english.test(w));
			});
		const marked = (el: Element | null) =>
			!!el?.closest('[lang]')?.getAttribute('lang')?.toLowerCase().startsWith('vi');
		const out: string[] = [];
		const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		for (let node = walker.nextNode(); node; node = walker.nextNode()) {
			const parent = node.parentElement;
			if (!parent || parent.closest('script, style, template')) continue;
			const text = node.textContent?.trim() ?? '';
			if (text && vietnamese(text) && !marked(parent)) out.push(text);
		}
		for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder], [alt]'))
			for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
				const value = el.getAttribute(name);
				if (value && vietnamese(value) && !marked(el)) out.push(`${name}="${value}"`);
			}
		return out;
	}, VIETNAMESE);
	return [...new Set(found)];
}

/** Each page's Vietnamese text without lang="vi", when in English; every page is read first. */
async function unmarkedOn(page: Page, paths: readonly string[]) {
	const found: Record<string, string[]> = {};
	for (const path of paths) {
		await page.goto(path);
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		const unmarked = await unmarkedVietnamese(page);
		if (unmarked.length) found[path] = unmarked;
	}
	return found;
}

function expectEnglish(found: Record<string, string[]>) {
	expect(found, 'Vietnamese text without lang="vi" on English pages').toEqual({});
	const all = Object.values(found).flat();
	for (const known of KNOWN)
		expect(
			all.filter((t) => t.includes(known)),
			known
		).toEqual([]);
}

/** The address of the first link of a list page whose address starts with `prefix`. */
async function firstLink(page: Page, list: string, prefix: RegExp): Promise<string> {
	await page.goto(list);
	const hrefs = await page
		.locator('main a[href]')
		.evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname));
	const href = hrefs.find((h) => prefix.test(h));
	expect(href, `a link like ${prefix} on ${list}`).toBeTruthy();
	return href!;
}

/** From now on the browser asks for English pages, as the language switch does. */
const english = (page: Page, baseURL: string | undefined) =>
	page.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'en', url: baseURL! }]);

test('public English pages have no Vietnamese interface text, and mark Vietnamese content', async ({
	page,
	baseURL
}) => {
	await english(page, baseURL);
	const pages = [
		...PUBLIC_PAGES,
		'/questions/stats',
		await firstLink(page, '/questions', /^\/questions\/[A-Z0-9-]+$/),
		await firstLink(page, '/disclosures', /^\/disclosures\/\d+$/),
		await firstLink(page, '/surveys', /^\/surveys\/[a-z0-9-]+$/)
	];
	expectEnglish(await unmarkedOn(page, pages));
});

test('Vietnamese names and texts on English pages carry lang="vi"', async ({ page, baseURL }) => {
	await english(page, baseURL);
	await page.goto('/disclosures');
	// a commune's name has no English form: it is read as Vietnamese
	await expect(
		page.locator('main .card [lang="vi"]').filter({ hasText: 'Vị Xuyên' }).first()
	).toBeVisible();
	const question = await firstLink(page, '/questions', /^\/questions\/[A-Z0-9-]+$/);
	await page.goto(question);
	// the citizen's question is in Vietnamese, and said to be
	await expect(page.locator('main h1')).toHaveAttribute('lang', 'vi');
	await page.goto('/disclosures');
	// names that have an English form use it
	await expect(page.locator('main')).not.toContainText('Sở Tài chính');
});

test('staff English pages have no Vietnamese interface text', async ({ browser, baseURL }) => {
	// signed in on the Vietnamese sign-in page, then read in English
	const as = async (email: string) => {
		const page = await (await browser.newContext()).newPage();
		await signIn(page, email);
		await english(page, baseURL);
		return page;
	};
	const official = await as(DEMO.official);
	const analyst = await as(DEMO.analyst);
	const admin = await as(DEMO.admin);
	const wave = await firstLink(analyst, '/fieldwork', /^\/fieldwork\/waves\/\d+$/);
	expectEnglish({
		...(await unmarkedOn(official, [
			'/staff',
			'/officials/questions',
			'/officials/disclosures',
			'/officials/plans'
		])),
		...(await unmarkedOn(analyst, ['/fieldwork', wave])),
		...(await unmarkedOn(admin, ['/admin', '/admin/calendar']))
	});
});
