import { m } from '$lib/paraglide/messages';
import {
	CODE_PATTERN,
	type InstrumentSpec,
	type Option,
	type Question,
	type QuestionType
} from './spec';

/**
 * The structural edits of a draft instrument: replace, add, remove and move a question. Pure;
 * each returns a new spec or a localized reason. The caller still validates the whole result
 * against `instrumentSpec` before saving it.
 */
export type EditResult = { spec: InstrumentSpec } | { error: string };

type Place = { section: number; part: number; index: number };

function placeOf(spec: InstrumentSpec, code: string): Place | undefined {
	for (const [section, s] of spec.sections.entries())
		for (const [part, p] of s.parts.entries()) {
			const index = p.questions.findIndex((q) => q.code === code);
			if (index >= 0) return { section, part, index };
		}
	return undefined;
}

export function findQuestion(spec: InstrumentSpec, code: string): Question | undefined {
	const at = placeOf(spec, code);
	return at && spec.sections[at.section]!.parts[at.part]!.questions[at.index];
}

/** The questions before `code`, in the order a respondent meets them: a condition may use these. */
export function questionsBefore(spec: InstrumentSpec, code: string): Question[] {
	const all = spec.sections.flatMap((s) => s.parts.flatMap((p) => p.questions));
	const at = all.findIndex((q) => q.code === code);
	return at < 0 ? all : all.slice(0, at);
}

function usedCodes(spec: InstrumentSpec): Set<string> {
	return new Set(
		spec.sections.flatMap((s) => [
			s.code,
			...s.parts.flatMap((p) => [p.code, ...p.questions.map((q) => q.code)])
		])
	);
}

/** A copy of the spec with one part's questions changed. */
function changePart(
	spec: InstrumentSpec,
	at: { section: number; part: number },
	change: (questions: Question[]) => Question[]
): InstrumentSpec {
	const copy = structuredClone(spec);
	const part = copy.sections[at.section]!.parts[at.part]!;
	part.questions = change(part.questions);
	return copy;
}

/** A condition must look back: the questions whose condition points at a later (or no) question. */
function misordered(spec: InstrumentSpec): string[] {
	const seen = new Set<string>();
	const wrong: string[] = [];
	for (const s of spec.sections)
		for (const p of s.parts)
			for (const q of p.questions) {
				if (q.showIf && !seen.has(q.showIf.question)) wrong.push(q.code);
				seen.add(q.code);
			}
	return wrong;
}

export function replaceQuestion(
	spec: InstrumentSpec,
	code: string,
	question: Question
): EditResult {
	const at = placeOf(spec, code);
	if (!at) return { error: m.error_not_found() };
	return {
		spec: changePart(spec, at, (qs) => qs.map((q, i) => (i === at.index ? question : q)))
	};
}

export function removeQuestion(spec: InstrumentSpec, code: string): EditResult {
	const at = placeOf(spec, code);
	if (!at) return { error: m.error_not_found() };
	if (spec.sections[at.section]!.parts[at.part]!.questions.length === 1)
		return { error: m.fw_q_last_in_part() };
	const dependants = spec.sections
		.flatMap((s) => s.parts.flatMap((p) => p.questions))
		.filter((q) => q.showIf?.question === code)
		.map((q) => q.code);
	if (dependants.length) return { error: m.fw_q_referenced({ codes: dependants.join(', ') }) };
	return { spec: changePart(spec, at, (qs) => qs.filter((_, i) => i !== at.index)) };
}

/** Moves a question one place up or down within its part. */
export function moveQuestion(spec: InstrumentSpec, code: string, by: -1 | 1): EditResult {
	const at = placeOf(spec, code);
	if (!at) return { error: m.error_not_found() };
	const to = at.index + by;
	const count = spec.sections[at.section]!.parts[at.part]!.questions.length;
	if (to < 0 || to >= count) return { spec };
	const moved = changePart(spec, at, (qs) => {
		const copy = [...qs];
		[copy[at.index], copy[to]] = [copy[to]!, copy[at.index]!];
		return copy;
	});
	return misordered(moved).length ? { error: m.fw_q_order_condition() } : { spec: moved };
}

/** Appends a new question of `type` to the part `partCode`, with placeholder texts to edit. */
export function addQuestion(
	spec: InstrumentSpec,
	partCode: string,
	code: string,
	type: QuestionType
): EditResult {
	if (!CODE_PATTERN.test(code)) return { error: m.fw_q_code_invalid() };
	if (usedCodes(spec).has(code)) return { error: m.fw_q_code_taken() };
	for (const [section, s] of spec.sections.entries()) {
		const part = s.parts.findIndex((p) => p.code === partCode);
		if (part >= 0)
			return {
				spec: changePart(spec, { section, part }, (qs) => [...qs, newQuestion(code, type)])
			};
	}
	return { error: m.error_not_found() };
}

const option = (code: string, vi: string, en: string, score: number | null): Option => ({
	code,
	label: { vi, en },
	score
});

const SATISFACTION: Option[] = [
	option('1', 'Rất không hài lòng', 'Very dissatisfied', 1),
	option('2', 'Không hài lòng', 'Dissatisfied', 2),
	option('3', 'Bình thường', 'Neither', 3),
	option('4', 'Hài lòng', 'Satisfied', 4),
	option('5', 'Rất hài lòng', 'Very satisfied', 5)
];

/** A question of each type that validates as it is, for staff to reword. */
export function newQuestion(code: string, type: QuestionType): Question {
	const base = {
		code,
		text: { vi: 'Câu hỏi mới', en: 'New question' },
		required: true,
		scored: false
	};
	switch (type) {
		case 'single':
		case 'multiple':
			return {
				...base,
				type,
				options: [
					option('1', 'Phương án 1', 'Option 1', null),
					option('2', 'Phương án 2', 'Option 2', null)
				]
			};
		case 'scale5':
			return { ...base, type, options: SATISFACTION.map((o) => ({ ...o })) };
		case 'yesno':
			return {
				...base,
				type,
				options: [
					option('yes', 'Có', 'Yes', 1),
					option('no', 'Không', 'No', 0),
					{ ...option('dont_know', 'Không biết', "Don't know", null), missing: 'dont_know' }
				]
			};
		case 'number':
			return { ...base, type, min: 0, max: 100, integer: true };
		case 'text':
			return { ...base, type, maxLength: 200 };
		case 'longtext':
			return { ...base, type, maxLength: 2000 };
		case 'commune':
			return { ...base, type };
	}
}
