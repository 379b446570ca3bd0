import { redirect } from '@sveltejs/kit';
import {
	effectiveAnswers,
	isShown,
	nextShownPage,
	pagesOf,
	validate,
	type AnswerError,
	type Page,
	type RawAnswers
} from '$lib/surveys/answers';
import type { CommuneOptions } from '$lib/surveys/layout';
import { allQuestions } from '$lib/surveys/spec';
import type { Db } from '../db';
import { loadDraft, saveDraftAnswers, type Draft } from './drafts';
import { postedAnswers, resumeCookie } from './respond';
import { communeChoices, type CommuneChoices, type Wave } from './waves';

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

export const reviewUrl = (wave: Wave) => `/surveys/${wave.slug}/review`;

export function stepUrl(wave: Wave, index: number): string {
	return `/surveys/${wave.slug}/step/${index + 1}`;
}

/** Where "next" leads from page `index`: the next page with a shown question, or the review. */
export function afterPage(wave: Wave, pages: Page[], answers: RawAnswers, index: number): string {
	const next = nextShownPage(pages, answers, index + 1, 1);
	return next === null ? reviewUrl(wave) : stepUrl(wave, next);
}

/** Where "back" leads: the previous page with a shown question, or the wave's page. */
export function beforePage(wave: Wave, pages: Page[], answers: RawAnswers, index: number): string {
	const previous = nextShownPage(pages, answers, index - 1, -1);
	return previous === null ? `/surveys/${wave.slug}` : stepUrl(wave, previous);
}

/**
 * Page `index` as the answers so far show it: its questions still shown (earlier answers hide
 * some), the communes a commune question may name, and what on it still needs an answer.
 */
export async function pageAsAnswered(db: Db, wave: Wave, index: number, answers: RawAnswers) {
	const pages = pagesOf(wave.spec);
	const page = pages[index]!;
	const effective = effectiveAnswers(allQuestions(wave.spec), answers);
	const shown = page.questions.filter((q) => isShown(q, effective));
	const communes = shown.some((q) => q.type === 'commune')
		? await communeChoices(db, wave.id)
		: { inScope: [], elsewhere: [], codes: new Set<string>() };
	const errors = (): Record<string, AnswerError> =>
		validate(shown, effective, communes.codes).errors;
	return { pages, page, effective, shown, communes, errors };
}

/** The communes a commune question offers, as a page shows them. */
export function communeOptions(choices: CommuneChoices): CommuneOptions {
	const option = ({ code, name }: { code: string; name: string }) => ({ code, name });
	return { inScope: choices.inScope.map(option), elsewhere: choices.elsewhere.map(option) };
}

/** A step opened from the review to change a section: it goes back there once saved. */
export const FROM_REVIEW = 'from=review';

/**
 * Saves one page's posted answers into the draft (they replace what it had for those
 * questions) and says where to go: back, on to the next shown page, or stay with what to fix.
 * A page opened from the review returns there, once the last page of its section is saved. A
 * language switch (the header's button posts this form with `locale`) saves without checking
 * and stays on the page.
 */
export async function savePage(
	db: Db,
	wave: Wave,
	index: number,
	draft: { code: string; answers: RawAnswers },
	form: FormData,
	switching = false
): Promise<{ next: string } | { posted: RawAnswers; errors: Record<string, AnswerError> }> {
	const pages = pagesOf(wave.spec);
	const posted = postedAnswers(form, pages[index]!.questions);
	const answers: RawAnswers = { ...draft.answers };
	for (const q of pages[index]!.questions) delete answers[q.code];
	Object.assign(answers, posted);
	await saveDraftAnswers(db, draft.code, answers);
	const fromReview = form.get('from') === 'review';
	const step = (i: number) => stepUrl(wave, i) + (fromReview ? `?${FROM_REVIEW}` : '');
	if (switching) return { next: step(index) };
	const now = await pageAsAnswered(db, wave, index, answers);
	if (form.get('nav') === 'back')
		return { next: fromReview ? reviewUrl(wave) : beforePage(wave, pages, now.effective, index) };
	const errors = now.errors();
	if (Object.keys(errors).length > 0) return { posted, errors };
	if (!fromReview) return { next: afterPage(wave, pages, now.effective, index) };
	const next = nextShownPage(pages, now.effective, index + 1, 1);
	const sameSection = next !== null && pages[next]!.section.code === pages[index]!.section.code;
	return { next: sameSection ? step(next) : reviewUrl(wave) };
}

/** The first page that still has a missing or invalid answer, if any (before submitting). */
export async function firstIncompletePage(
	db: Db,
	wave: Wave,
	answers: RawAnswers
): Promise<number | null> {
	const { codes } = await communeChoices(db, wave.id);
	const effective = effectiveAnswers(allQuestions(wave.spec), answers);
	const index = pagesOf(wave.spec).findIndex(
		(p) => Object.keys(validate(p.questions, effective, codes).errors).length > 0
	);
	return index < 0 ? null : index;
}
