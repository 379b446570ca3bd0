import { fail, redirect } from '@sveltejs/kit';
import { effectiveAnswers, validate, type RawAnswers } from '$lib/surveys/answers';
import { allQuestions } from '$lib/surveys/spec';
import type { SessionUser } from '../auth/session';
import type { Db } from '../db';
import { DomainError, type FieldErrors } from '../forms/refusal';
import { refuseSurvey, submitLimited } from './refusals';
import { admitInterviewer, hitSubmitLimit, interviewerRefusal } from './respond';
import { newSubmitKey, submitResponse } from './submit';
import { communeChoices, type Wave } from './waves';
import { publicWave } from './public';

/** The wave behind a step of the questionnaire; a wave that is not open sends back to its page. */
export async function openWaveOrBack(slug: string): Promise<Wave> {
	const wave = await publicWave(slug);
	if (wave.status !== 'open') redirect(303, `/surveys/${wave.slug}`);
	return wave;
}

/** The wave a start or a one-page submit is for, refused when it is not open. */
export async function openWave(slug: string): Promise<Wave> {
	const wave = await publicWave(slug);
	if (wave.status !== 'open') throw refuseSurvey('closed');
	return wave;
}

/**
 * Whether this respondent may hand in a questionnaire now: an interviewer within the wave's
 * units and hourly allowance, anyone else within the connection's allowance.
 */
export async function admitRespondent(
	db: Db,
	wave: Wave,
	who: { interviewer: boolean; user: SessionUser | null; address: string }
): Promise<void> {
	if (who.interviewer) {
		const refused = await admitInterviewer(db, who.user!, wave.id);
		if (refused) {
			const { status, message } = interviewerRefusal(refused);
			throw new DomainError(refused.refused, status, () => message);
		}
		return;
	}
	const limit = await hitSubmitLimit(db, wave.id, who.address);
	if (limit.limited) throw submitLimited(limit.retryAfterSeconds);
}

export type Handing = {
	answers: RawAnswers;
	mode: 'web' | 'interviewer';
	submitKey: string;
	/** the paged layout's draft, deleted with the submission */
	draftCode?: string;
	/** reasons already found in the post (the one-page consent), reported with the answers' */
	errors?: FieldErrors;
	/** who may hand in now (see admitRespondent), asked once the answers are found complete */
	admit?: () => Promise<void>;
	/** a counter kiosk's response: its counter and field */
	counter?: { id: number; field: string };
};

/**
 * Hands in a questionnaire, from the one-page form or the paged review alike: every answer is
 * checked against the wave's questions and communes, the response is stored under its unit, and
 * the receipt comes back. A missing or invalid answer is refused by question; a closed wave, a
 * used key or a spent invitation by reason.
 */
export async function submitSurvey(db: Db, wave: Wave, handing: Handing): Promise<string> {
	const questions = allQuestions(wave.spec);
	const communes = await communeChoices(db, wave.id);
	const checked = validate(questions, effectiveAnswers(questions, handing.answers), communes.codes);
	const errors = { ...handing.errors, ...checked.errors };
	if (Object.keys(errors).length > 0) throw new DomainError('answers', 400, () => '', errors);
	await handing.admit?.();
	// a commune of the wave is the response's unit; one elsewhere in the province gives it none
	const commune = checked.answers.find((a) => a.code === 'commune');
	const unitId =
		commune && 'options' in commune
			? (communes.inScope.find((c) => c.code === commune.options[0])?.id ?? null)
			: null;
	const result = await submitResponse(db, {
		waveId: wave.id,
		versionId: wave.versionId,
		unitId,
		mode: handing.mode,
		submitKey: handing.submitKey,
		answers: checked.answers,
		draftCode: handing.draftCode,
		counter: handing.counter
	});
	if (!result.ok) throw refuseSurvey(result.reason);
	return result.receipt;
}

export type OnePageKept = {
	answers: RawAnswers;
	submitKey: string;
	consent: boolean;
};

/**
 * The one-page form's step: a refusal comes back with every answer as typed, so nothing is lost,
 * and a fresh idempotency key once the old one is spent.
 */
export async function keepingAnswers<R>(kept: OnePageKept, step: () => Promise<R>) {
	try {
		return await step();
	} catch (e) {
		if (!(e instanceof DomainError)) throw e;
		const blamed = Object.keys(e.fields).length > 0;
		const spent = e.code === 'key_reused' || e.code === 'closed';
		return fail(e.status, {
			...kept,
			submitKey: spent ? newSubmitKey() : kept.submitKey,
			errors: e.fields,
			...(blamed ? {} : { message: e.reason })
		});
	}
}
