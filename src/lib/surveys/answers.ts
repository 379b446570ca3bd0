import type { InstrumentSpec, Question, Section } from './spec';

/**
 * Answers as posted by a form: one string per question, several for multiple choice.
 * Pure functions: which questions are shown, how the questionnaire is paged, and validation.
 */
export type RawAnswers = Record<string, string | string[]>;

export type AnswerError =
	| 'required'
	| 'invalid_option'
	| 'too_many'
	| 'not_a_number'
	| 'not_integer'
	| 'out_of_range'
	| 'too_long';

export type CleanAnswer =
	| { code: string; options: string[] }
	| { code: string; number: number }
	| { code: string; text: string };

function values(raw: RawAnswers, code: string): string[] {
	const v = raw[code];
	const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
	return list.map((s) => s.trim()).filter((s) => s.length > 0);
}

/**
 * Whether a question is shown, given the answers so far. Pass answers that went through
 * `effectiveAnswers`, so that an answer left on a question that is now hidden shows nothing.
 */
export function isShown(question: Question, raw: RawAnswers): boolean {
	if (!question.showIf) return true;
	const given = values(raw, question.showIf.question);
	return given.some((v) => question.showIf!.anyOf.includes(v));
}

/**
 * The answers that count: those of shown questions, decided in questionnaire order (a condition
 * always refers to an earlier question), so a chain of conditions collapses when an early answer
 * changes and stale answers further down are ignored.
 */
export function effectiveAnswers(questions: readonly Question[], raw: RawAnswers): RawAnswers {
	const kept: RawAnswers = {};
	for (const q of questions) {
		if (raw[q.code] !== undefined && isShown(q, kept)) kept[q.code] = raw[q.code]!;
	}
	return kept;
}

export type Page = { section: Section; questions: Question[]; continued: boolean };

/**
 * The pages of a paged questionnaire: one per section, split before any question whose condition
 * refers to a question on the same page, so that the condition is known (from the answers already
 * posted) when the page is drawn. That is how conditions work without JavaScript.
 */
export function pagesOf(spec: InstrumentSpec): Page[] {
	const pages: Page[] = [];
	for (const section of spec.sections) {
		let current: Page = { section, questions: [], continued: false };
		for (const q of section.parts.flatMap((p) => p.questions)) {
			if (q.showIf && current.questions.some((c) => c.code === q.showIf!.question)) {
				pages.push(current);
				current = { section, questions: [], continued: true };
			}
			current.questions.push(q);
		}
		pages.push(current);
	}
	return pages;
}

/** The index of the first page at or after `from` (or before, going back) with a shown question. */
export function nextShownPage(
	pages: Page[],
	raw: RawAnswers,
	from: number,
	step: 1 | -1
): number | null {
	for (let i = from; i >= 0 && i < pages.length; i += step) {
		if (pages[i]!.questions.some((q) => isShown(q, raw))) return i;
	}
	return null;
}

export function validateQuestion(
	q: Question,
	raw: RawAnswers,
	communeCodes: ReadonlySet<string>
): { answer?: CleanAnswer; error?: AnswerError } {
	const given = values(raw, q.code);
	if (given.length === 0) return q.required ? { error: 'required' } : {};
	switch (q.type) {
		case 'single':
		case 'scale5':
		case 'yesno': {
			if (given.length > 1 || !q.options.some((o) => o.code === given[0]))
				return { error: 'invalid_option' };
			return { answer: { code: q.code, options: [given[0]!] } };
		}
		case 'multiple': {
			const unique = [...new Set(given)];
			if (unique.some((v) => !q.options.some((o) => o.code === v)))
				return { error: 'invalid_option' };
			if (q.maxChoices && unique.length > q.maxChoices) return { error: 'too_many' };
			// in the order of the options, so that equal answers compare equal
			return {
				answer: {
					code: q.code,
					options: q.options.map((o) => o.code).filter((c) => unique.includes(c))
				}
			};
		}
		case 'commune': {
			if (given.length > 1 || !communeCodes.has(given[0]!)) return { error: 'invalid_option' };
			return { answer: { code: q.code, options: [given[0]!] } };
		}
		case 'number': {
			const text = given[0]!.replace(',', '.');
			if (given.length > 1 || !/^-?\d+(\.\d+)?$/.test(text)) return { error: 'not_a_number' };
			const n = Number(text);
			if (q.integer && !Number.isInteger(n)) return { error: 'not_integer' };
			if (n < q.min || n > q.max) return { error: 'out_of_range' };
			return { answer: { code: q.code, number: n } };
		}
		case 'text':
		case 'longtext': {
			const t = given.join('\n').normalize('NFC');
			if (t.length > q.maxLength) return { error: 'too_long' };
			return { answer: { code: q.code, text: t } };
		}
	}
}

export type Validation = { answers: CleanAnswer[]; errors: Record<string, AnswerError> };

/**
 * Validates the shown questions among `questions`; answers to hidden questions are dropped, so a
 * changed earlier answer cannot leave a stale conditional answer behind. `raw` must have gone
 * through `effectiveAnswers` over the whole instrument.
 */
export function validate(
	questions: readonly Question[],
	raw: RawAnswers,
	communeCodes: ReadonlySet<string>
): Validation {
	const result: Validation = { answers: [], errors: {} };
	for (const q of questions) {
		if (!isShown(q, raw)) continue;
		const { answer, error } = validateQuestion(q, raw, communeCodes);
		if (error) result.errors[q.code] = error;
		if (answer) result.answers.push(answer);
	}
	return result;
}

/** A canonical text of the answers, for telling a replayed submission from a different one. */
export function canonical(answers: readonly CleanAnswer[]): string {
	return JSON.stringify(
		[...answers].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
	);
}

/** The id of a question's control (or group), which error summaries link to. */
export const questionTarget = (code: string) => `q-${code}`;
