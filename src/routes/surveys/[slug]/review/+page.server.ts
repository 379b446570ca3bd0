import { fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getDb } from '$lib/server/db';
import { DRAFT_DAYS } from '$lib/server/surveys/drafts';
import { requireDraft, stepUrl } from '$lib/server/surveys/paging';
import { publicWave } from '$lib/server/surveys/public';
import { clearResumeCookie, isHoneypotFilled } from '$lib/server/surveys/respond';
import { submitResponse } from '$lib/server/surveys/submit';
import { communesInScope, type Commune, type Wave } from '$lib/server/surveys/waves';
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

async function openWave(slug: string) {
	const wave = await publicWave(slug);
	if (wave.status !== 'open') redirect(303, `/surveys/${wave.slug}`);
	return wave;
}

/** The first page that still has a missing or invalid answer, if any. */
function firstIncompletePage(
	wave: Wave,
	raw: RawAnswers,
	communes: readonly Commune[]
): number | null {
	const codes = new Set(communes.map((c) => c.code));
	const answers = effectiveAnswers(allQuestions(wave.spec), raw);
	const pages = pagesOf(wave.spec);
	const index = pages.findIndex(
		(p) => Object.keys(validate(p.questions, answers, codes).errors).length > 0
	);
	return index < 0 ? null : index;
}

export const load: PageServerLoad = async ({ params, cookies, url }) => {
	const wave = await openWave(params.slug);
	const db = await getDb();
	const { code, draft } = await requireDraft(db, wave, cookies);
	const communes = await communesInScope(db, wave.id);
	if (url.searchParams.has('check')) {
		const incomplete = firstIncompletePage(wave, draft.answers, communes);
		if (incomplete !== null) redirect(303, `${stepUrl(wave, incomplete)}?check=1`);
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
		communes: Object.fromEntries(communes.map((c) => [c.code, c.name])),
		resumeCode: code,
		draftDays: DRAFT_DAYS
	};
};

export const actions: Actions = {
	default: async ({ params, request, cookies }) => {
		const wave = await openWave(params.slug);
		const db = await getDb();
		const { code, draft } = await requireDraft(db, wave, cookies);
		const form = await readForm(request);
		if (!(form instanceof FormData)) return form;
		if (isHoneypotFilled(form)) return fail(400, { message: m.survey_rejected() });
		const communes = await communesInScope(db, wave.id);
		const incomplete = firstIncompletePage(wave, draft.answers, communes);
		if (incomplete !== null) redirect(303, `${stepUrl(wave, incomplete)}?check=1`);
		const questions = allQuestions(wave.spec);
		const checked = validate(
			questions,
			effectiveAnswers(questions, draft.answers),
			new Set(communes.map((c) => c.code))
		);
		const commune = checked.answers.find((a) => a.code === 'commune');
		const unitId =
			commune && 'options' in commune
				? (communes.find((c) => c.code === commune.options[0])?.id ?? null)
				: null;
		const result = await submitResponse(db, {
			waveId: wave.id,
			versionId: wave.versionId,
			unitId,
			mode: draft.mode,
			submitKey: draft.submitKey,
			answers: checked.answers,
			draftCode: code
		});
		if (!result.ok) {
			return fail(409, {
				message: {
					invitation_used: m.survey_invitation_invalid,
					closed: m.survey_closed,
					key_reused: m.survey_key_reused
				}[result.reason]()
			});
		}
		clearResumeCookie(cookies, wave.slug);
		redirect(303, `/surveys/${wave.slug}/thanks?receipt=${result.receipt}`);
	}
};
