import type { CleanAnswer } from '$lib/surveys/answers';
import { allQuestions, type InstrumentSpec } from '$lib/surveys/spec';
import type { Estimate, Respondent, Term } from './estimates';
import { measuresOf, respondentsOf } from './scoring';

/**
 * The working sums the aggregator keeps current, from which snapshots are published. Pure.
 *
 * For each group of respondents and each measure the store keeps n, Σw, Σwy, Σwy², Σw², Σw²y and
 * Σw²y², which add up across responses and across groups. y is the respondent's indicator value,
 * or for a composite the respondent's own composite (their answered terms, rescaled to the
 * composite's full weight); a composite's n is the respondents who answered any of its items.
 * A measure's value is the combination of its indicators' means (Σwy / Σw); its standard error
 * is worked out from the raw answers when a snapshot is taken (`variance.ts`).
 */
export type Sums = {
	n: number;
	w: number;
	wy: number;
	wy2: number;
	w2: number;
	w2y: number;
	w2y2: number;
};

export const emptySums = (): Sums => ({ n: 0, w: 0, wy: 0, wy2: 0, w2: 0, w2y: 0, w2y2: 0 });

export function addValue(s: Sums, weight: number, y: number): void {
	s.n += 1;
	s.w += weight;
	s.wy += weight * y;
	s.wy2 += weight * y * y;
	s.w2 += weight * weight;
	s.w2y += weight * weight * y;
	s.w2y2 += weight * weight * y * y;
}

export function addSums(into: Sums, more: Sums): void {
	for (const k of Object.keys(into) as (keyof Sums)[]) into[k] += more[k];
}

/** A respondent's own value of a composite: their answered terms rescaled to its full weight. */
export function personalValue(terms: readonly Term[], values: ReadonlyMap<string, number>) {
	let sum = 0;
	let answered = 0;
	let full = 0;
	for (const t of terms) {
		full += t.coefficient;
		const y = values.get(t.item);
		if (y === undefined) continue;
		sum += t.coefficient * y;
		answered += t.coefficient;
	}
	return answered > 0 ? (sum * full) / answered : undefined;
}

/** The demographic bands a response can be broken down by: its single-choice demographics. */
export function bandQuestions(spec: InstrumentSpec): string[] {
	return spec.sections
		.filter((s) => s.role === 'demographics')
		.flatMap((s) => s.parts.flatMap((p) => p.questions))
		.filter((q) => q.type === 'single')
		.map((q) => q.code);
}

export type Group = { grouping: string; cell: string };

/**
 * A response's answers to the single-choice demographics: [question, option] pairs. "Prefer not
 * to answer" (an option marked missing) is no band: the response is left out of that breakdown.
 */
export function bandsOf(spec: InstrumentSpec) {
	const bandCodes = new Set(bandQuestions(spec));
	const missing = new Set(
		allQuestions(spec).flatMap((q) =>
			'options' in q ? q.options.filter((o) => o.missing).map((o) => `${q.code}=${o.code}`) : []
		)
	);
	return (answers: readonly CleanAnswer[]): [string, string][] =>
		answers.flatMap((a): [string, string][] =>
			bandCodes.has(a.code) &&
			'options' in a &&
			a.options[0] &&
			!missing.has(`${a.code}=${a.options[0]}`)
				? [[a.code, a.options[0]]]
				: []
		);
}

/**
 * Every group a response is counted in: the wave, its commune, each band, each band in the
 * commune, and the one-stop shop counter whose kiosk took it.
 */
export function groupsOf(
	unitId: number | null,
	bands: readonly [string, string][],
	counterId: number | null = null
): Group[] {
	const groups: Group[] = [{ grouping: '', cell: '' }];
	if (unitId !== null) groups.push({ grouping: 'unit', cell: String(unitId) });
	if (counterId !== null) groups.push({ grouping: 'counter', cell: String(counterId) });
	for (const [question, option] of bands) {
		groups.push({ grouping: `band:${question}`, cell: option });
		if (unitId !== null)
			groups.push({ grouping: `unit+band:${question}`, cell: `${unitId}|${option}` });
	}
	return groups;
}

/** The measure that counts a group's respondents (y = 1 for everyone). */
export const RESPONDENTS = '#';
/** Respondents who chose an answer to the question (any option, "don't know" included). */
export const answeredMeasure = (question: string) => `?${question}`;
/** Respondents who chose `option` (y = 1): with `answeredMeasure`, the answer distribution. */
export const optionMeasure = (question: string, option: string) => `?${question}=${option}`;
/** Whether a measure code counts an answer to a question or one of its options (a distribution). */
export const isDistributionMeasure = (measure: string) => measure.startsWith('?');
/** The `answeredMeasure` an `optionMeasure` belongs to, or undefined for any other measure. */
export const answeredMeasureOf = (measure: string) =>
	isDistributionMeasure(measure) && measure.includes('=')
		? measure.slice(0, measure.indexOf('='))
		: undefined;

/** Sums by group (under the caller's key for it), then by measure. */
export type GroupSums = Map<string, Map<string, Sums>>;

export type ResponseRow = {
	unitId: number | null;
	/** the counter whose kiosk took the response (issue 22), if any */
	counterId?: number | null;
	weight: number;
	answers: readonly CleanAnswer[];
};

/**
 * Adds responses of one instrument version into `into`, keyed by group and measure: the
 * respondent count, every score measure, and (except for a band within a commune) the answer
 * distribution of every choice question.
 */
export function accumulator(spec: InstrumentSpec) {
	const measures = measuresOf(spec);
	const toRespondent = respondentsOf(spec);
	const bandsOfResponse = bandsOf(spec);
	const choices = new Set(
		allQuestions(spec)
			.filter((q) => 'options' in q)
			.map((q) => q.code)
	);
	return (into: GroupSums, response: ResponseRow, groupKey: (g: Group) => string) => {
		const respondent: Respondent = toRespondent(response);
		const bands = bandsOfResponse(response.answers);
		const values: [string, number][] = [[RESPONDENTS, 1]];
		for (const m of measures) {
			const y =
				m.level === 'indicator'
					? respondent.values.get(m.code)
					: personalValue(m.terms, respondent.values);
			if (y !== undefined) values.push([m.code, y]);
		}
		const answered: [string, number][] = [];
		for (const a of response.answers)
			if (choices.has(a.code) && 'options' in a && a.options.length) {
				answered.push([answeredMeasure(a.code), 1]);
				for (const o of a.options) answered.push([optionMeasure(a.code, o), 1]);
			}
		for (const group of groupsOf(response.unitId, bands, response.counterId ?? null)) {
			// one lookup per group; the measure codes are the spec's own strings, hashed once
			const key = groupKey(group);
			let measures = into.get(key);
			if (!measures) into.set(key, (measures = new Map()));
			const add = ([measure, y]: [string, number]) => {
				let sums = measures.get(measure);
				if (!sums) measures.set(measure, (sums = emptySums()));
				addValue(sums, response.weight, y);
			};
			values.forEach(add);
			// distributions for a band within a commune would more than double the cells kept
			if (!group.grouping.startsWith('unit+')) answered.forEach(add);
		}
	};
}

/**
 * Why a number is not shown: `small`, its group or the measure itself has fewer than k
 * respondents (or would give such a group away); `incomplete`, a composite one of whose parts
 * nobody in the group answered; `part-small`, a composite one of whose parts is hidden, which
 * the composite, less its shown parts, would give away; `step`, it changed by fewer than k
 * respondents since it was last published (or would give such a change away).
 */
export type HiddenReason = 'small' | 'incomplete' | 'part-small' | 'step';

/** One measure in one group: its estimate, or why it is hidden (`reason`, then no estimate). */
export type Shown = {
	result: Estimate | undefined;
	suppressed: boolean;
	reason: HiddenReason | null;
};

export const hiddenFor = (reason: HiddenReason): Shown => ({
	result: undefined,
	suppressed: true,
	reason
});
