import type { Browser } from '@playwright/test';
import { DEMO, DEMO_PASSWORD, QA_STAFF, unique } from '../helpers';
import { chunks, visibleBit } from './corpus';
import { expectAllClean, expectClean, guardedPage, pool } from './guard';
import { act } from './post';
import { staffPage } from './questions';

/** Texts of at most `max` characters covering the corpus, in pairs: Vietnamese and English. */
function pairs(max: number) {
	const texts = chunks(max, { separator: ' ', minLength: 1 });
	const half = Math.ceil(texts.length / 2);
	return Array.from({ length: half }, (_, k) => ({
		vi: texts[k],
		en: texts[half + k] ?? texts[0]
	}));
}

/**
 * What only the administrator writes, with the corpus in it: account display names (one of them
 * then signs in, so the name is in every staff page's header), disclosure types (name and legal
 * basis; shown in the public filters, the compliance pages and the official's form) and the
 * reasons of days off in the calendar (a year far ahead, unmarked at the end, so no deadline of
 * the other tests moves).
 */
export async function adminCorpus(browser: Browser) {
	const stamp = unique();
	const admin = await staffPage(browser, DEMO.admin);

	// accounts: every display name, e-mail addresses of this run's own
	const names = chunks(120, { separator: ' ', minLength: 1 });
	const emails = names.map((_, k) => `xss-${stamp}-${k}@example.org`);
	for (const [k, displayName] of names.entries()) {
		await act(admin.request, '/admin?/create', {
			email: emails[k],
			displayName,
			password: DEMO_PASSWORD
		});
	}
	// the list is paged, newest first: the first account is found by its address
	await admin.goto(`/admin?q=${encodeURIComponent(emails[0])}`);
	const userId = await admin
		.locator('tr', { hasText: emails[0] })
		.locator('input[name="userId"]')
		.first()
		.inputValue();
	await act(admin.request, '/admin?/grant', { userId, role: 'analyst', unitCode: '08' });

	// disclosure types: names and legal bases, never due, so no obligation appears anywhere
	const typeNames = pairs(200);
	const bases = pairs(300);
	const types = Math.max(typeNames.length, bases.length);
	for (let k = 0; k < types; k++) {
		const name = typeNames[k % typeNames.length];
		const basis = bases[k % bases.length];
		await act(admin.request, '/admin/disclosure-types', {
			code: `xss-${stamp}-${k}`,
			nameVi: name.vi,
			nameEn: name.en,
			basisVi: basis.vi,
			basisEn: basis.en,
			unitLevel: 'any',
			frequency: 'on_change',
			dueFrom: '',
			dueDays: '',
			displayDays: ''
		});
	}

	// calendar: days off in a year no other test reaches, each with its reasons
	const year = 2090;
	const reasons = pairs(200);
	const days = reasons.map((_, k) =>
		new Date(Date.UTC(year, 0, 2 + k * 3)).toISOString().slice(0, 10)
	);
	for (const [k, reason] of reasons.entries()) {
		await act(admin.request, '/admin/calendar?/mark', {
			day: days[k],
			working: 'off',
			reasonVi: reason.vi,
			reasonEn: reason.en
		});
	}

	try {
		const named = await staffPage(browser, emails[0]);
		const official = await staffPage(browser, QA_STAFF.communeOfficial);
		const reader = await guardedPage(browser);
		const english = await guardedPage(browser);
		await english
			.context()
			.addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'en', url: new URL(admin.url()).origin }]);
		await Promise.all([
			expectAllClean(await pool(admin, 2), [
				{ path: '/admin', shows: visibleBit(names[names.length - 1]) },
				{ path: '/admin/disclosure-types', shows: visibleBit(typeNames[0].vi) },
				{ path: `/admin/calendar?year=${year}`, shows: visibleBit(reasons[0].vi) },
				{ path: '/staff' }
			]),
			expectAllClean(
				[named],
				[
					{ path: '/staff', shows: visibleBit(names[0]) },
					{ path: '/analytics', shows: visibleBit(names[0]) }
				]
			),
			expectAllClean(
				[official],
				[
					{ path: '/officials/disclosures/new' },
					{ path: '/officials/disclosures/compliance' },
					{ path: '/officials/disclosures' }
				]
			),
			expectAllClean(
				[reader],
				[
					// with a query: the plain list may be a cached copy made before the new types
					{ path: '/disclosures?page=1' },
					{ path: '/disclosures/compliance' },
					{ path: `/disclosures?type=xss-${stamp}-0` }
				]
			),
			expectAllClean(
				[english],
				[{ path: '/disclosures?page=1' }, { path: '/disclosures/compliance' }, { path: '/staff' }]
			)
		]);
	} finally {
		for (const day of days) await act(admin.request, '/admin/calendar?/unmark', { day });
	}
	await expectClean(admin, '/admin');
	return { accounts: names.length, types, days: days.length };
}
