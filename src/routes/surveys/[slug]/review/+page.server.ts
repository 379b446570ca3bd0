import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { getDb } from '$lib/server/db';
import { DRAFT_DAYS } from '$lib/server/surveys/drafts';
import { firstIncompletePage, requireDraft, stepUrl } from '$lib/server/surveys/paging';
import { clearResumeCookie, isHoneypotFilled } from '$lib/server/surveys/respond';
import { openWaveOrBack, submitSurvey } from '$lib/server/surveys/take';
import { communeChoices } from '$lib/server/surveys/waves';
import { formStep } from '$lib/server/forms/step';
import { refuseSurvey } from '$lib/server/surveys/refusals';
import { effectiveAnswers, isShown, pagesOf } from '$lib/surveys/answers';
import { allQuestions } from '$lib/surveys/spec';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, cookies, url }) => {
	const wave = await openWaveOrBack(params.slug);
	const db = await getDb();
	const { code, draft } = await requireDraft(db, wave, cookies);
	const communes = await communeChoices(db, wave.id);
	// a resumed questionnaire opens where it stopped: the first page still to answer, no errors yet
	if (url.searchParams.has('resume')) {
		const incomplete = await firstIncompletePage(db, wave, draft.answers);
		if (incomplete !== null) redirect(303, stepUrl(wave, incomplete));
	}
	const pages = pagesOf(wave.spec);
	const effective = effectiveAnswers(allQuestions(wave.spec), draft.answers);
	const firstPageOf = (section: string) => pages.findIndex((p) => p.section.code === section) + 1;
	return {
		wave: { slug: wave.slug, title: wave.title },
		sections: wave.spec.sections.map((s) => ({
			code: s.code,
			title: s.title,
			step: firstPageOf(s.code),
			questions: s.parts
				.flatMap((p) => p.questions)
				.filter((q) => isShown(q, effective))
				.map((q) => ({
					code: q.code,
					text: q.text,
					type: q.type,
					options: 'options' in q ? q.options.map((o) => ({ code: o.code, label: o.label })) : []
				}))
		})),
		answers: effective,
		communes: Object.fromEntries(
			[...communes.inScope, ...communes.elsewhere].map((c) => [c.code, c.name])
		),
		resumeCode: code,
		draftDays: DRAFT_DAYS
	};
};

export const actions: Actions = {
	default: async ({ params, request, cookies }) => {
		const wave = await openWaveOrBack(params.slug);
		const db = await getDb();
		const { code, draft } = await requireDraft(db, wave, cookies);
		return formStep(request, z.object({}), async (_, form) => {
			if (isHoneypotFilled(form)) throw refuseSurvey('rejected');
			const incomplete = await firstIncompletePage(db, wave, draft.answers);
			if (incomplete !== null) redirect(303, `${stepUrl(wave, incomplete)}?check=1`);
			const receipt = await submitSurvey(db, wave, {
				answers: draft.answers,
				mode: draft.mode,
				submitKey: draft.submitKey,
				draftCode: code
			});
			clearResumeCookie(cookies, wave.slug);
			redirect(303, `/surveys/${wave.slug}/thanks?receipt=${receipt}`);
		});
	}
};
