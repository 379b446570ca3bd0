import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getDb } from '$lib/server/db';
import { askedLocale, rememberLocale } from '$lib/server/http/locale';
import { DRAFT_DAYS } from '$lib/server/surveys/drafts';
import {
	afterPage,
	communeOptions,
	pageAsAnswered,
	requireDraft,
	savePage
} from '$lib/server/surveys/paging';
import { openWaveOrBack } from '$lib/server/surveys/take';
import type { Wave } from '$lib/server/surveys/waves';
import { readForm } from '$lib/server/forms/parse';
import { pagesOf } from '$lib/surveys/answers';
import { questionNumbers, showsPartTitle } from '$lib/surveys/layout';
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
	const { pages, page, shown, communes, errors } = await pageAsAnswered(
		db,
		wave,
		index,
		draft.answers
	);
	// a page whose questions are all hidden by earlier answers is skipped
	if (shown.length === 0) redirect(303, afterPage(wave, pages, draft.answers, index));
	const sectionIndex = wave.spec.sections.findIndex((s) => s.code === page.section.code);
	const numbers = questionNumbers(wave.spec);
	const onPage = shown.map((q) => numbers[q.code]!);
	return {
		wave: { slug: wave.slug, title: wave.title },
		step: index + 1,
		progress: { current: sectionIndex + 1, total: wave.spec.sections.length },
		questionRange: {
			from: Math.min(...onPage),
			to: Math.max(...onPage),
			total: allQuestions(wave.spec).length
		},
		section: {
			title: page.section.title,
			intro: page.continued ? undefined : page.section.intro,
			continued: page.continued
		},
		parts: page.section.parts
			.map((p) => ({
				code: p.code,
				title: showsPartTitle(p) ? p.title : undefined,
				questions: shown.filter((q) => p.questions.some((pq) => pq.code === q.code))
			}))
			.filter((p) => p.questions.length > 0),
		numbers,
		answers: draft.answers,
		// ?check=1 (a send from the review found this page incomplete) shows what needs an answer
		errors: url.searchParams.has('check') ? errors() : {},
		fromReview: url.searchParams.get('from') === 'review',
		communes: communeOptions(communes),
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
		const locale = askedLocale(form);
		const saved = await savePage(db, wave, index, { code, answers: draft.answers }, form, !!locale);
		if (locale) rememberLocale(cookies, locale);
		if ('errors' in saved) return fail(400, { answers: saved.posted, errors: saved.errors });
		redirect(303, saved.next);
	}
};
