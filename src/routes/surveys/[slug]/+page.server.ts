import { fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getDb } from '$lib/server/db';
import { loadDraft, startDraft } from '$lib/server/surveys/drafts';
import { redeemInvitation } from '$lib/server/surveys/invitations';
import {
	admitInterviewer,
	hitSubmitLimit,
	interviewerMode,
	interviewerRefusal,
	interviewsFor,
	isHoneypotFilled,
	postedAnswers,
	resumeCookie,
	setResumeCookie
} from '$lib/server/surveys/respond';
import { newSubmitKey, submitResponse } from '$lib/server/surveys/submit';
import { communesInScope } from '$lib/server/surveys/waves';
import { readForm } from '$lib/server/forms/parse';
import { allQuestions } from '$lib/surveys/spec';
import { effectiveAnswers, nextShownPage, pagesOf, validate } from '$lib/surveys/answers';
import { publicWave } from '$lib/server/surveys/public';
import { allowPageCache } from '$lib/server/http/page-cache';
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
					communes: (await communesInScope(db, wave.id)).map(({ code, name }) => ({ code, name })),
					submitKey
				}
			: null
	};
};

async function openWave(slug: string) {
	const wave = await publicWave(slug);
	return wave.status === 'open' ? wave : null;
}

export const actions: Actions = {
	/** Paged layout: consent (and invitation code), then a draft with its resume code. */
	start: async ({ params, request, cookies, getClientAddress, locals }) => {
		const wave = await openWave(params.slug);
		if (!wave) return fail(409, { message: m.survey_closed() });
		const form = await readForm(request);
		if (!(form instanceof FormData)) return form;
		const invitationCode = String(form.get('invitation') ?? '').slice(0, 40);
		const values = { invitation: invitationCode };
		if (form.get('consent') !== 'yes') {
			return fail(400, { values, errors: { consent: m.survey_consent_required() } });
		}
		if (isHoneypotFilled(form)) return fail(400, { values, message: m.survey_rejected() });
		const db = await getDb();
		const interviewer = interviewerMode(locals.user, form);
		const refused = interviewer ? await admitInterviewer(db, locals.user!, wave.id) : null;
		if (refused) {
			const { status, message } = interviewerRefusal(refused);
			return fail(status, { values, message });
		}
		const mode = interviewer ? 'interviewer' : 'web';
		let code: string | undefined;
		if (wave.accessMode === 'invitation') {
			// the code is used up now, in its own transaction, for a ballot kept in the draft
			code = await redeemInvitation(db, wave.id, invitationCode, mode);
			if (!code)
				return fail(400, { values, errors: { invitation: m.survey_invitation_invalid() } });
		} else {
			if (!interviewer) {
				const limit = await hitSubmitLimit(db, wave.id, getClientAddress());
				if (limit.limited) {
					return fail(429, {
						values,
						message: m.survey_rate_limited({ minutes: Math.ceil(limit.retryAfterSeconds / 60) })
					});
				}
			}
			code = await startDraft(db, wave.id, mode);
		}
		setResumeCookie(cookies, wave.slug, code);
		const first = nextShownPage(pagesOf(wave.spec), {}, 0, 1) ?? 0;
		redirect(303, `/surveys/${wave.slug}/step/${first + 1}`);
	},

	/** A resume code typed in, from another browser or after the cookie was lost. */
	resume: async ({ params, request, cookies }) => {
		const wave = await openWave(params.slug);
		if (!wave) return fail(409, { message: m.survey_closed() });
		const form = await readForm(request);
		if (!(form instanceof FormData)) return form;
		const code = String(form.get('code') ?? '').slice(0, 40);
		const draft = code.trim() ? await loadDraft(await getDb(), code, wave.id) : undefined;
		if (!draft) return fail(400, { values: { code }, errors: { code: m.survey_resume_invalid() } });
		setResumeCookie(cookies, wave.slug, code.trim());
		redirect(303, `/surveys/${wave.slug}/review?check=1`);
	},

	/** One-page layout: every answer in one post. */
	submit: async ({ params, request, getClientAddress, locals }) => {
		const wave = await openWave(params.slug);
		if (!wave) return fail(409, { message: m.survey_closed() });
		if (wave.layout !== 'single' || wave.accessMode !== 'open')
			return fail(400, { message: m.error_invalid_request() });
		const form = await readForm(request);
		if (!(form instanceof FormData)) return form;
		const questions = allQuestions(wave.spec);
		const answers = postedAnswers(form, questions);
		const submitKey = String(form.get('submit_key') ?? '');
		const keep = {
			answers,
			submitKey: /^[\w-]{16,64}$/.test(submitKey) ? submitKey : newSubmitKey(),
			consent: form.get('consent') === 'yes'
		};
		if (!keep.consent) {
			return fail(400, { ...keep, errors: {}, consentError: m.survey_consent_required() });
		}
		const db = await getDb();
		const communes = await communesInScope(db, wave.id);
		const checked = validate(
			questions,
			effectiveAnswers(questions, answers),
			new Set(communes.map((c) => c.code))
		);
		if (Object.keys(checked.errors).length > 0)
			return fail(400, { ...keep, errors: checked.errors });
		if (isHoneypotFilled(form))
			return fail(400, { ...keep, errors: {}, message: m.survey_rejected() });
		const interviewer = interviewerMode(locals.user, form);
		// an interviewer outside the wave's units, or past their hourly limit, keeps the answers
		const refused = interviewer ? await admitInterviewer(db, locals.user!, wave.id) : null;
		if (refused) {
			const { status, message } = interviewerRefusal(refused);
			return fail(status, { ...keep, errors: {}, message });
		}
		const limit = interviewer
			? { limited: false, retryAfterSeconds: 0 }
			: await hitSubmitLimit(db, wave.id, getClientAddress());
		if (limit.limited) {
			return fail(429, {
				...keep,
				errors: {},
				message: m.survey_rate_limited({ minutes: Math.ceil(limit.retryAfterSeconds / 60) })
			});
		}
		const communeAnswer = checked.answers.find((a) => a.code === 'commune');
		const unitId =
			communeAnswer && 'options' in communeAnswer
				? (communes.find((c) => c.code === communeAnswer.options[0])?.id ?? null)
				: null;
		const result = await submitResponse(db, {
			waveId: wave.id,
			versionId: wave.versionId,
			unitId,
			mode: interviewer ? 'interviewer' : 'web',
			submitKey: keep.submitKey,
			answers: checked.answers
		});
		if (!result.ok)
			return fail(409, {
				...keep,
				submitKey: newSubmitKey(),
				errors: {},
				message: result.reason === 'closed' ? m.survey_closed() : m.survey_key_reused()
			});
		redirect(303, `/surveys/${wave.slug}/thanks?receipt=${result.receipt}`);
	}
};
