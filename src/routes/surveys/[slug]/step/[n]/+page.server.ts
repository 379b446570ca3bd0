import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getDb } from '$lib/server/db';
import { DRAFT_DAYS } from '$lib/server/surveys/drafts';
import { afterPage, pageAsAnswered, requireDraft, savePage } from '$lib/server/surveys/paging';
import { openWaveOrBack } from '$lib/server/surveys/take';
import type { Wave } from '$lib/server/surveys/waves';
import { readForm } from '$lib/server/forms/parse';
import { pagesOf } from '$lib/surveys/answers';
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
		// ?check=1 (from the review) shows what still needs an answer on this page
		errors: url.searchParams.has('check') ? errors() : {},
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
		const saved = await savePage(db, wave, index, { code, answers: draft.answers }, form);
		if ('errors' in saved) return fail(400, { answers: saved.posted, errors: saved.errors });
		redirect(303, saved.next);
	}
};
