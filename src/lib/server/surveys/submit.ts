import { randomBytes } from 'node:crypto';
import { canonical, type CleanAnswer } from '$lib/surveys/answers';
import { sql } from 'kysely';
import { PREPARED, type Db } from '../db';
import { hashCode, randomCode, sha256 } from './codes';

export type Submission = {
	waveId: number;
	versionId: number;
	unitId: number | null;
	mode: 'web' | 'interviewer';
	/** the client's idempotency key: the same key always yields the same receipt */
	submitKey: string;
	answers: CleanAnswer[];
	/**
	 * the draft this submission completes, deleted with it; in an invitation wave it must hold
	 * the ballot (see redeemInvitation) and this submission's key, and deleting it spends the ballot
	 */
	draftCode?: string;
	/** a counter kiosk's response: the counter and the field chosen at its start */
	counter?: { id: number; field: string };
};

export type SubmitResult =
	| { ok: true; receipt: string; replay: boolean }
	| { ok: false; reason: 'key_reused' | 'invitation_used' | 'closed' };

/** The hour the response was given: nothing finer is stored. */
export function toHour(date: Date): Date {
	const d = new Date(date);
	d.setUTCMinutes(0, 0, 0);
	return d;
}

/** The answers as columns, for one `unnest` in the insert. */
function answerColumns(answers: CleanAnswer[]) {
	const columns = {
		question: [] as string[],
		option: [] as (string | null)[],
		number: [] as (number | null)[],
		text: [] as (string | null)[]
	};
	const push = (
		question: string,
		option: string | null,
		num: number | null,
		text: string | null
	) => {
		columns.question.push(question);
		columns.option.push(option);
		columns.number.push(num);
		columns.text.push(text);
	};
	for (const a of answers) {
		if ('options' in a) for (const o of a.options) push(a.code, o, null, null);
		else if ('number' in a) push(a.code, null, a.number, null);
		else push(a.code, null, null, a.text);
	}
	return columns;
}

/** The closed answers as the response row keeps them for export (see migration 005). */
export function closedAnswers(answers: readonly CleanAnswer[]): string {
	return answers
		.flatMap((a) =>
			'options' in a
				? a.options.map((o) => `${a.code}=${o}`)
				: 'number' in a
					? [`${a.code}=${a.number}`]
					: []
		)
		.join('&');
}

/** The closed answers back from the row's text, every value as an option (as analytics reads them). */
export function closedAnswerOptions(text: string): { code: string; options: string[] }[] {
	const byQuestion = new Map<string, string[]>();
	if (text)
		for (const pair of text.split('&')) {
			const at = pair.indexOf('=');
			const question = pair.slice(0, at);
			byQuestion.set(question, [...(byQuestion.get(question) ?? []), pair.slice(at + 1)]);
		}
	return [...byQuestion].map(([code, options]) => ({ code, options }));
}

/**
 * Stores a response and its answers, keyed by the submit key. A repeat (even a concurrent one)
 * with the same key and answers returns the first receipt; the same key with different answers
 * is refused. Nothing links the response to a person or an invitation code.
 *
 * It is one statement, so one round trip and atomic without a transaction: the wave must be open
 * (its row is share-locked, so closing it waits for submissions under way), an invitation wave's
 * response needs the draft with the ballot and this key, the response and its answers are
 * inserted, queued for analytics and the draft is deleted (the ballot spent), or nothing is. The
 * code was used up earlier, in a transaction of its own (redeemInvitation): nothing written here
 * shares a transaction with it, and one draft has one key, so one ballot yields one response.
 */
export async function submitResponse(
	db: Db,
	s: Submission,
	now = new Date()
): Promise<SubmitResult> {
	const keyHash = sha256(`survey-submit|${s.waveId}|${s.submitKey}`);
	const digest = sha256(canonical(s.answers));
	const a = answerColumns(s.answers);
	const draftHash = s.draftCode ? hashCode(s.draftCode) : null;
	const { rows } = await sql<{ receipt: string }>`${sql.raw(PREPARED)}
		with wave as (
			select id, access_mode = 'invitation' as invited from survey_wave
			where id = ${s.waveId} and status = 'open' for share
		),
		ballot as (
			select from survey_draft
			where code_hash = ${draftHash}::bytea and wave_id = ${s.waveId} and ballot
				and submit_key = ${s.submitKey}::text
		),
		response as (
			insert into survey_response (wave_id, instrument_version_id, unit_id, mode,
				submitted_hour, receipt, submit_key_hash, answers_digest, closed_answers, counter_id, field)
			select wave.id, ${s.versionId}::int, ${s.unitId}::int, ${s.mode}::text,
				${toHour(now)}::timestamptz, ${randomCode(3)}::text, ${keyHash}::bytea, ${digest}::bytea,
				${closedAnswers(s.answers)}::text, ${s.counter?.id ?? null}::int,
				${s.counter?.field ?? null}::text
			from wave
			where not wave.invited or exists (select from ballot)
			on conflict (submit_key_hash) do nothing
			returning id, receipt
		),
		answers as (
			insert into survey_answer (response_id, question_code, option_code, value_num, value_text)
			select response.id, a.question, a.option, a.number, a.text
			from response cross join unnest(${a.question}::text[], ${a.option}::text[],
				${a.number}::double precision[], ${a.text}::text[]) as a(question, option, number, text)
		),
		queued as (
			insert into analytics_queue (response_id) select id from response
		),
		draft as (
			delete from survey_draft
			where code_hash = ${draftHash}::bytea
				and exists (select from response)
		)
		select receipt from response`.execute(db);
	if (rows[0]) return { ok: true, receipt: rows[0].receipt, replay: false };

	// Nothing stored: a repeat of an accepted submission (it gets its receipt, even once the wave
	// has closed), a reused key, a closed wave or an invitation wave's draft without its ballot.
	const first = await db
		.selectFrom('survey_response')
		.select(['receipt', 'answers_digest'])
		.where('submit_key_hash', '=', keyHash)
		.executeTakeFirst();
	if (first) {
		return Buffer.from(first.answers_digest).equals(Buffer.from(digest))
			? { ok: true, receipt: first.receipt, replay: true }
			: { ok: false, reason: 'key_reused' };
	}
	const wave = await db
		.selectFrom('survey_wave')
		.select('status')
		.where('id', '=', s.waveId)
		.executeTakeFirst();
	return { ok: false, reason: wave?.status === 'open' ? 'invitation_used' : 'closed' };
}

/** A fresh idempotency key for a form that submits answers directly (the one-page layout). */
export function newSubmitKey(): string {
	return randomBytes(16).toString('base64url');
}
