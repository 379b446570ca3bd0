import type { Cookies } from '@sveltejs/kit';
import { dev } from '$app/environment';
import type { Staff } from '$lib/auth/access';
import type { RawAnswers } from '$lib/surveys/answers';
import type { Question } from '$lib/surveys/spec';
import { m } from '$lib/paraglide/messages';
import type { SessionUser } from '../auth/session';
import { config } from '../config';
import type { Db } from '../db';
import { clientKey, hit, type LimitResult } from '../security/rate-limit';
import { DRAFT_DAYS } from './drafts';
import { isInterviewer, mayInterview } from './permissions';
import { unitsWithAncestry, waveUnitIds } from './scope';

/** A field no person sees or fills; a bot that fills every field gives itself away. */
export const HONEYPOT_FIELD = 'website';

export function isHoneypotFilled(form: FormData): boolean {
	const v = form.get(HONEYPOT_FIELD);
	return typeof v === 'string' && v.trim().length > 0;
}

/** The answers to `questions` found in a posted form: every value of a multiple choice. */
export function postedAnswers(form: FormData, questions: readonly Question[]): RawAnswers {
	const answers: RawAnswers = {};
	for (const q of questions) {
		const values = form.getAll(q.code).filter((v): v is string => typeof v === 'string');
		if (values.length === 0) continue;
		answers[q.code] = q.type === 'multiple' ? values.slice(0, 50) : values[0]!.slice(0, 10_000);
	}
	return answers;
}

/**
 * Ballot stuffing on open links is slowed per client without identifying anyone: the key is a
 * daily-rotating HMAC of the address. Shared addresses (mobile carriers, a one-stop-shop kiosk)
 * get a generous allowance; SURVEY_SUBMITS_PER_HOUR tunes it.
 */
export async function hitSubmitLimit(
	db: Db,
	waveId: number,
	address: string
): Promise<LimitResult> {
	const c = config();
	return hit(db, `survey:${waveId}:${clientKey(address, c.appSecret)}`, {
		max: c.surveySubmitsPerHour,
		windowSeconds: 3600
	});
}

/**
 * Interviewer mode: a signed-in field interviewer who ticks the box enters answers for a
 * respondent. Only the mode is recorded, never who entered the response.
 */
export function interviewerMode(user: SessionUser | null, form: FormData): boolean {
	return form.get('interviewer') === 'yes' && !!user && isInterviewer(user.grants);
}

/**
 * Whether an interviewer works on this wave: an interviewer grant whose unit covers every unit
 * of the wave's scope (a unit covers itself and everything below it), or one for all units.
 */
export async function interviewsFor(db: Db, user: Staff | null, waveId: number): Promise<boolean> {
	if (!user || !isInterviewer(user.grants)) return false;
	return mayInterview(user.grants, await unitsWithAncestry(db, await waveUnitIds(db, waveId)));
}

export type InterviewerRefusal = { refused: 'scope' } | { refused: 'limit'; minutes: number };

/**
 * Lets an interviewer enter one response on a wave, or says why not: the wave is outside their
 * units, or they reached INTERVIEWER_SUBMITS_PER_HOUR. The counter is keyed by a daily-rotating
 * HMAC of the account id, never stored on the response nor in any way tied to it.
 */
export async function admitInterviewer(
	db: Db,
	user: Staff,
	waveId: number,
	now = new Date()
): Promise<InterviewerRefusal | null> {
	if (!(await interviewsFor(db, user, waveId))) return { refused: 'scope' };
	const c = config();
	const limit = await hit(
		db,
		`interviewer:${clientKey(`user:${user.id}`, c.appSecret, now)}`,
		{ max: c.interviewerSubmitsPerHour, windowSeconds: 3600 },
		now
	);
	return limit.limited
		? { refused: 'limit', minutes: Math.ceil(limit.retryAfterSeconds / 60) }
		: null;
}

/** The status and the message of a refused interviewer; the form keeps what was entered. */
export function interviewerRefusal(r: InterviewerRefusal): { status: number; message: string } {
	return r.refused === 'scope'
		? { status: 403, message: m.survey_interviewer_out_of_scope() }
		: { status: 429, message: m.survey_interviewer_rate_limited({ minutes: r.minutes }) };
}

const COOKIE_PREFIX = 'cv_survey_';

export function resumeCookie(cookies: Cookies, slug: string): string | undefined {
	return cookies.get(COOKIE_PREFIX + slug);
}

export function setResumeCookie(cookies: Cookies, slug: string, code: string) {
	cookies.set(COOKIE_PREFIX + slug, code, {
		path: '/surveys',
		httpOnly: true,
		sameSite: 'lax',
		secure: !dev,
		maxAge: DRAFT_DAYS * 24 * 60 * 60
	});
}

export function clearResumeCookie(cookies: Cookies, slug: string) {
	cookies.delete(COOKIE_PREFIX + slug, {
		path: '/surveys',
		httpOnly: true,
		sameSite: 'lax',
		secure: !dev
	});
}
