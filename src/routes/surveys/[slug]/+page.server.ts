import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { getDb } from '$lib/server/db';
import { readForm } from '$lib/server/forms/parse';
import type { FieldErrors } from '$lib/server/forms/refusal';
import { formStep } from '$lib/server/forms/step';
import { askedLocale, rememberLocale } from '$lib/server/http/locale';
import { allowPageCache } from '$lib/server/http/page-cache';
import { loadDraft, startDraft } from '$lib/server/surveys/drafts';
import { redeemInvitation } from '$lib/server/surveys/invitations';
import { publicWave } from '$lib/server/surveys/public';
import { refuseSurvey } from '$lib/server/surveys/refusals';
import {
	interviewerMode,
	interviewsFor,
	isHoneypotFilled,
	postedAnswers,
	resumeCookie,
	setResumeCookie
} from '$lib/server/surveys/respond';
import { newSubmitKey } from '$lib/server/surveys/submit';
import { admitRespondent, keepingAnswers, openWave, submitSurvey } from '$lib/server/surveys/take';
import { communeOptions } from '$lib/server/surveys/paging';
import { communeChoices } from '$lib/server/surveys/waves';
import { nextShownPage, pagesOf } from '$lib/surveys/answers';
import { questionNumbers } from '$lib/surveys/layout';
import { allQuestions } from '$lib/surveys/spec';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, cookies, url, locals }) => {
	const wave = await publicWave(params.slug);
	const db = await getDb();
	const code = resumeCookie(cookies, wave.slug);
	const inProgress = code ? !!(await loadDraft(db, code, wave.id)) : false;
	const single = wave.layout === 'single' && wave.accessMode === 'open';
	const submitKey = newSubmitKey();
	// the one-page survey is the same for every anonymous visitor but its idempotency key
	if (single) allowPageCache(locals, submitKey, (other) => (other.search ? null : newSubmitKey()));
	return {
		wave: {
			slug: wave.slug,
			status: wave.status,
			title: wave.title,
			description: wave.description,
			closesOn: wave.closesOn,
			accessMode: wave.accessMode,
			single,
			minutes: wave.spec.estimatedMinutes,
			consent: wave.spec.consent,
			sectionCount: new Set(pagesOf(wave.spec).map((p) => p.section.code)).size
		},
		inProgress,
		lost: url.searchParams.has('lost'),
		// offered only to an interviewer whose units cover the wave
		interviewer: await interviewsFor(db, locals.user, wave.id),
		// the one-page layout: the whole questionnaire and a fresh idempotency key for this attempt
		form: single
			? {
					sections: wave.spec.sections,
					numbers: questionNumbers(wave.spec),
					questionCount: allQuestions(wave.spec).length,
					communes: communeOptions(await communeChoices(db, wave.id)),
					submitKey
				}
			: null
	};
};

const invitationSay = () => m.survey_invitation_invalid();
const startForm = z.object({
	invitation: z.string().max(40, { error: invitationSay }).default(''),
	consent: z.string().optional()
});
const resumeForm = z.object({
	code: z
		.string({ error: () => m.survey_resume_invalid() })
		.trim()
		.min(1, { error: () => m.survey_resume_invalid() })
		.max(40, { error: () => m.survey_resume_invalid() })
});

/** What a one-page post keeps when it comes back: the answers, the attempt's key and consent. */
function onePageKept(wave: Awaited<ReturnType<typeof publicWave>>, form: FormData) {
	const posted = String(form.get('submit_key') ?? '');
	return {
		answers: postedAnswers(form, allQuestions(wave.spec)),
		submitKey: /^[\w-]{16,64}$/.test(posted) ? posted : newSubmitKey(),
		consent: form.get('consent') === 'yes'
	};
}

export const actions: Actions = {
	/** Paged layout: consent (and invitation code), then a draft with its resume code. */
	start: async ({ params, request, cookies, getClientAddress, locals }) =>
		formStep(request, startForm, async ({ invitation, consent }, form) => {
			const wave = await openWave(params.slug);
			if (consent !== 'yes') throw refuseSurvey('consent', 'consent');
			if (isHoneypotFilled(form)) throw refuseSurvey('rejected');
			const db = await getDb();
			const interviewer = interviewerMode(locals.user, form);
			const mode = interviewer ? 'interviewer' : 'web';
			let code: string | undefined;
			if (wave.accessMode === 'invitation') {
				if (interviewer)
					await admitRespondent(db, wave, { interviewer, user: locals.user, address: '' });
				// the code is used up now, in its own transaction, for a ballot kept in the draft
				code = await redeemInvitation(db, wave.id, invitation, mode);
				if (!code) throw refuseSurvey('invitation', 'invitation');
			} else {
				const address = getClientAddress();
				await admitRespondent(db, wave, { interviewer, user: locals.user, address });
				code = await startDraft(db, wave.id, mode);
			}
			setResumeCookie(cookies, wave.slug, code);
			const first = nextShownPage(pagesOf(wave.spec), {}, 0, 1) ?? 0;
			redirect(303, `/surveys/${wave.slug}/step/${first + 1}`);
		}),

	/** A resume code typed in, from another browser or after the cookie was lost. */
	resume: async ({ params, request, cookies }) =>
		formStep(request, resumeForm, async ({ code }) => {
			const wave = await openWave(params.slug);
			if (!(await loadDraft(await getDb(), code, wave.id))) throw refuseSurvey('resume', 'code');
			setResumeCookie(cookies, wave.slug, code);
			redirect(303, `/surveys/${wave.slug}/review?resume=1`);
		}),

	/**
	 * One-page layout, the language switch: the answers come with it; the browser posts them
	 * again (307 keeps the method and body) to `keep`, which the new language then draws.
	 */
	language: async ({ request, cookies }) => {
		const form = await readForm(request);
		if (!(form instanceof FormData)) return form;
		const locale = askedLocale(form);
		// only the form's own switch gets here with a language; anything else is a bad request
		if (!locale) return fail(400, { message: m.error_invalid_request() });
		rememberLocale(cookies, locale);
		redirect(307, '?/keep');
	},

	/** One-page layout: the posted answers drawn again, unchecked (after a language switch). */
	keep: async ({ params, request }) => {
		const form = await readForm(request);
		if (!(form instanceof FormData)) return form;
		// only the survey's own form, sent on by the language switch, carries its attempt's key
		if (!/^[\w-]{16,64}$/.test(String(form.get('submit_key') ?? '')))
			return fail(400, { message: m.error_invalid_request() });
		return onePageKept(await publicWave(params.slug), form);
	},

	/** One-page layout: every answer in one post. */
	submit: async ({ params, request, getClientAddress, locals }) => {
		const form = await readForm(request);
		if (!(form instanceof FormData)) return form;
		const wave = await publicWave(params.slug);
		const kept = onePageKept(wave, form);
		const receipt = await keepingAnswers(kept, async () => {
			if (wave.status !== 'open') throw refuseSurvey('closed');
			if (wave.layout !== 'single' || wave.accessMode !== 'open') throw refuseSurvey('layout');
			const consent: FieldErrors = kept.consent ? {} : { consent: m.survey_consent_required() };
			if (isHoneypotFilled(form)) throw refuseSurvey('rejected');
			const db = await getDb();
			const interviewer = interviewerMode(locals.user, form);
			return submitSurvey(db, wave, {
				answers: kept.answers,
				mode: interviewer ? 'interviewer' : 'web',
				submitKey: kept.submitKey,
				errors: consent,
				// asked once the answers are complete: a refused questionnaire costs no allowance
				admit: () =>
					admitRespondent(db, wave, { interviewer, user: locals.user, address: getClientAddress() })
			});
		});
		if (typeof receipt !== 'string') return receipt;
		redirect(303, `/surveys/${wave.slug}/thanks?receipt=${receipt}`);
	}
};
