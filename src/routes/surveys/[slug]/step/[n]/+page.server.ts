import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getDb } from '$lib/server/db';
import { DRAFT_DAYS, saveDraftAnswers } from '$lib/server/surveys/drafts';
import { afterPage, beforePage, requireDraft } from '$lib/server/surveys/paging';
import { openWaveOrBack } from '$lib/server/surveys/take';
import { postedAnswers } from '$lib/server/surveys/respond';
import { communesInScope, type Wave } from '$lib/server/surveys/waves';
import { readForm } from '$lib/server/forms/parse';
import {
	effectiveAnswers,
	isShown,
	pagesOf,
	validate,
	type RawAnswers
} from '$lib/surveys/answers';
import { allQuestions } from '$lib/surveys/spec';
import type { Actions, PageServerLoad } from './$types';

function pageIndex(wave: Wave, n: string): number {
	const index = Number(n) - 1;
	if (!Number.isInteger(index) || index < 0 || index >= pagesOf(wave.spec).length) {
		error(404, { message: m.error_not_found() });
	}
	return index;
}

export const load: PageServerLoad = async ({ params, cookies, url }) => {
	const wave = await openWaveOrBack(params.slug);
	const index = pageIndex(wave, params.n);
	const db = await getDb();
	const { code, draft } = await requireDraft(db, wave, cookies);
	const pages = pagesOf(wave.spec);
	const page = pages[index]!;
	const effective = effectiveAnswers(allQuestions(wave.spec), draft.answers);
	const shown = page.questions.filter((q) => isShown(q, effective));
	// a page whose questions are all hidden by earlier answers is skipped
	if (shown.length === 0) redirect(303, afterPage(wave, pages, draft.answers, index));
	const communes = shown.some((q) => q.type === 'commune')
		? await communesInScope(db, wave.id)
		: [];
	// ?check=1 (from the review) shows what still needs an answer on this page
	const errors = url.searchParams.has('check')
		? validate(shown, effective, new Set(communes.map((c) => c.code))).errors
		: {};
	const sectionIndex = wave.spec.sections.findIndex((s) => s.code === page.section.code);
	return {
		wave: { slug: wave.slug, title: wave.title },
		step: index + 1,
		progress: { current: sectionIndex + 1, total: wave.spec.sections.length },
		section: {
			title: page.section.title,
			intro: page.continued ? undefined : page.section.intro,
			continued: page.continued
		},
		parts: page.section.parts
			.map((p) => ({
				code: p.code,
				title: p.title,
				questions: shown.filter((q) => p.questions.some((pq) => pq.code === q.code))
			}))
			.filter((p) => p.questions.length > 0),
		answers: draft.answers,
		errors,
		communes: communes.map(({ code, name }) => ({ code, name })),
		resumeCode: code,
		draftDays: DRAFT_DAYS
	};
};

export const actions: Actions = {
	default: async ({ params, request, cookies }) => {
		const wave = await openWaveOrBack(params.slug);
		const index = pageIndex(wave, params.n);
		const db = await getDb();
		const { code, draft } = await requireDraft(db, wave, cookies);
		const form = await readForm(request);
		if (!(form instanceof FormData)) return form;
		const pages = pagesOf(wave.spec);
		const page = pages[index]!;
		// this page's answers replace what the draft had for these questions
		const posted = postedAnswers(form, page.questions);
		const answers: RawAnswers = { ...draft.answers };
		for (const q of page.questions) delete answers[q.code];
		Object.assign(answers, posted);
		await saveDraftAnswers(db, code, answers);

		if (form.get('nav') === 'back') {
			redirect(
				303,
				beforePage(wave, pages, effectiveAnswers(allQuestions(wave.spec), answers), index)
			);
		}
		const effective = effectiveAnswers(allQuestions(wave.spec), answers);
		const shown = page.questions.filter((q) => isShown(q, effective));
		const communes = shown.some((q) => q.type === 'commune')
			? await communesInScope(db, wave.id)
			: [];
		const checked = validate(shown, effective, new Set(communes.map((c) => c.code)));
		if (Object.keys(checked.errors).length > 0) {
			return fail(400, { answers: posted, errors: checked.errors });
		}
		redirect(303, afterPage(wave, pages, effective, index));
	}
};
