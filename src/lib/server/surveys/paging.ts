import { redirect } from '@sveltejs/kit';
import { nextShownPage, type Page, type RawAnswers } from '$lib/surveys/answers';
import type { Db } from '../db';
import { loadDraft, type Draft } from './drafts';
import { resumeCookie } from './respond';
import type { Wave } from './waves';

/** The draft this browser is answering; without one, back to the wave's page to start again. */
export async function requireDraft(
	db: Db,
	wave: Wave,
	cookies: Parameters<typeof resumeCookie>[0]
): Promise<{ code: string; draft: Draft }> {
	const code = resumeCookie(cookies, wave.slug);
	const draft = code ? await loadDraft(db, code, wave.id) : undefined;
	if (!code || !draft) redirect(303, `/surveys/${wave.slug}?lost=1`);
	return { code, draft };
}

export function stepUrl(wave: Wave, index: number): string {
	return `/surveys/${wave.slug}/step/${index + 1}`;
}

/** Where "next" leads from page `index`: the next page with a shown question, or the review. */
export function afterPage(wave: Wave, pages: Page[], answers: RawAnswers, index: number): string {
	const next = nextShownPage(pages, answers, index + 1, 1);
	return next === null ? `/surveys/${wave.slug}/review` : stepUrl(wave, next);
}

/** Where "back" leads: the previous page with a shown question, or the wave's page. */
export function beforePage(wave: Wave, pages: Page[], answers: RawAnswers, index: number): string {
	const previous = nextShownPage(pages, answers, index - 1, -1);
	return previous === null ? `/surveys/${wave.slug}` : stepUrl(wave, previous);
}
