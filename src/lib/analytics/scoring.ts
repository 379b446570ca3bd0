import { m } from '$lib/paraglide/messages';
import type { CleanAnswer } from '$lib/surveys/answers';
import {
	allQuestions,
	hasSubIndices,
	SUB_INDICES,
	type InstrumentSpec,
	type Question,
	type Text
} from '$lib/surveys/spec';
import { estimate, type Estimate, type Respondent, type Term } from './estimates';

/**
 * The numbers an instrument version's scoring rules define, computed from responses. Pure.
 *
 * PAPI-style (`scoring.method = 'papi'`):
 * - indicator: a scored question's answer rescaled to 0..1 between its lowest and highest option
 *   score, so a reverse-scored item is simply one whose "good" option has the higher score;
 *   "don't know", refusals and options without a score leave the indicator unanswered;
 * - sub-dimension (part): the mean of its indicators times its equal share of the dimension's
 *   maximum; dimension: the sum of its sub-dimensions (0..dimensionMax); total: the sum of the
 *   dimensions (0..80 for 8 dimensions of 10).
 * SIPAS-style (`'sipas'`):
 * - indicator: 1 if the answer is one of the `satisfied` options, else 0 ("don't know" and
 *   refusals unanswered); every five-point question gets its share, scored or not;
 * - criterion (part): the mean of its scored indicators; element: the mean of its criteria;
 * - with policy sections (the 2023–2026 method, QĐ 1001/QĐ-BNV): each sub-index (policy: the
 *   'policy' sections; service: the 'element' sections) is the mean of its elements, and the
 *   index the mean of the two sub-indices, ½ policy + ½ service; a sub-index of one element is
 *   that element, shown as both;
 * - without (the five-element method of QĐ 2640/QĐ-BNV): the index is the mean of the elements,
 *   and its title says so, so that waves on an old version are labelled.
 * Every level is a linear combination of indicator means, estimated with `estimate` (weights,
 * linearized standard errors, Wilson intervals for single shares).
 */

export type Level = 'indicator' | 'part' | 'section' | 'subindex' | 'total';

export type Measure = {
	level: Level;
	/** the question, part or section code; a sub-index's code (`SUB_INDICES`); 'total' */
	code: string;
	title: Text;
	/** the width of the measure's scale: 1 for a share, the maximum for a score */
	range: number;
	share: boolean;
	terms: Term[];
};

export type Scored = Measure & { result: Estimate | undefined };

export type ResponseForScoring = { weight: number; answers: readonly CleanAnswer[] };

/** The levels a trend or an official figure is given for: the index, sub-indices, sections. */
export const isSummaryLevel = (level: Level) =>
	level === 'total' || level === 'subindex' || level === 'section';

/** A message in both languages, as the instruments' own texts are. */
const bilingual = (message: (inputs: object, options: { locale: 'vi' | 'en' }) => string) => ({
	vi: message({}, { locale: 'vi' }),
	en: message({}, { locale: 'en' })
});

const SUB_INDEX_TITLE: Record<(typeof SUB_INDICES)[number]['code'], () => Text> = {
	policy_index: () => bilingual(m.measure_policy_index),
	service_index: () => bilingual(m.measure_service_index)
};

/** The total's title; `sections` counts the elements of an index without sub-indices. */
function totalTitle(spec: InstrumentSpec, sections: number): Text {
	if (spec.scoring.method === 'papi') return bilingual(m.measure_total_papi);
	if (hasSubIndices(spec)) return bilingual(m.measure_total_sipas);
	return bilingual((_, options) => m.measure_total_sipas_elements({ count: sections }, options));
}

/** The mean of measures: each term's coefficient divided by their number. */
function meanOf(
	measures: readonly Measure[],
	measure: Omit<Measure, 'terms' | 'share' | 'range'>
): Measure {
	return {
		...measure,
		range: 1,
		share: false,
		terms: measures.flatMap((x) =>
			x.terms.map((t) => ({ item: t.item, coefficient: t.coefficient / measures.length }))
		)
	};
}

/** The options' scores usable for rescaling: not "don't know"/refuse, not unscored. */
function scoreRange(q: Question): [number, number] | undefined {
	if (!('options' in q)) return undefined;
	const scores = q.options.filter((o) => !o.missing && o.score !== null).map((o) => o.score!);
	if (scores.length < 2) return undefined;
	const [min, max] = [Math.min(...scores), Math.max(...scores)];
	return max > min ? [min, max] : undefined;
}

/** Which questions are indicators, and the value each answer gives. */
function indicatorValue(
	spec: InstrumentSpec,
	q: Question
): ((option: string) => number | undefined) | undefined {
	if (!('options' in q)) return undefined;
	const byCode = new Map(q.options.map((o) => [o.code, o]));
	if (spec.scoring.method === 'papi') {
		const range = q.scored ? scoreRange(q) : undefined;
		if (!range) return undefined;
		const [min, max] = range;
		return (code) => {
			const o = byCode.get(code);
			return o && !o.missing && o.score !== null ? (o.score - min) / (max - min) : undefined;
		};
	}
	if (spec.scoring.method === 'sipas') {
		if (!q.scored && q.type !== 'scale5') return undefined;
		const satisfied = new Set(spec.scoring.satisfied);
		return (code) => {
			const o = byCode.get(code);
			return o && !o.missing ? (satisfied.has(code) ? 1 : 0) : undefined;
		};
	}
	return undefined;
}

/** Every measure of the spec, from indicators up to the total, in the questionnaire's order. */
export function measuresOf(spec: InstrumentSpec): Measure[] {
	const method = spec.scoring.method;
	if (method === 'none') return [];
	const share = method === 'sipas';
	const indicators: Measure[] = [];
	const parts: Measure[] = [];
	const sections: Measure[] = [];
	const counted = spec.sections.filter((s) =>
		method === 'papi' ? s.role === 'dimension' : s.role === 'element' || s.role === 'policy'
	);
	const sectionMax = method === 'papi' ? spec.scoring.dimensionMax : 1;

	for (const s of spec.sections) {
		const scoredParts = s.parts
			.map((p) => ({
				part: p,
				items: p.questions.filter((q) => q.scored && indicatorValue(spec, q)).map((q) => q.code)
			}))
			.filter((p) => p.items.length > 0);
		for (const p of s.parts)
			for (const q of p.questions)
				if (indicatorValue(spec, q))
					indicators.push({
						level: 'indicator',
						code: q.code,
						title: q.text,
						range: 1,
						share,
						terms: [{ item: q.code, coefficient: 1 }]
					});
		if (!counted.includes(s) || scoredParts.length === 0) continue;
		// PAPI: each part is an equal share of the dimension, summed; SIPAS: criteria are averaged
		const partWeight = method === 'papi' ? sectionMax / scoredParts.length : 1 / scoredParts.length;
		const sectionTerms: Term[] = [];
		for (const { part, items } of scoredParts) {
			const partRange = method === 'papi' ? partWeight : 1;
			const partTerms = items.map((item) => ({
				item,
				coefficient: (method === 'papi' ? partWeight : 1) / items.length
			}));
			parts.push({
				level: 'part',
				code: part.code,
				title: part.title ?? s.title,
				range: partRange,
				share: share && items.length === 1,
				terms: partTerms
			});
			for (const t of partTerms)
				sectionTerms.push({
					item: t.item,
					coefficient: method === 'papi' ? t.coefficient : t.coefficient * partWeight
				});
		}
		sections.push({
			level: 'section',
			code: s.code,
			title: s.title,
			range: sectionMax,
			share: false,
			terms: sectionTerms
		});
	}
	if (!sections.length) return [...parts, ...indicators];
	if (method === 'papi') {
		const total: Measure = {
			level: 'total',
			code: 'total',
			title: totalTitle(spec, sections.length),
			range: sectionMax * sections.length,
			share: false,
			terms: sections.flatMap((s) => s.terms)
		};
		return [total, ...sections, ...parts, ...indicators];
	}
	if (!hasSubIndices(spec)) {
		const total = meanOf(sections, {
			level: 'total',
			code: 'total',
			title: totalTitle(spec, sections.length)
		});
		return [total, ...sections, ...parts, ...indicators];
	}
	const subIndices = SUB_INDICES.flatMap(({ code, role }) => {
		const own = new Set(spec.sections.filter((s) => s.role === role).map((s) => s.code));
		const elements = sections.filter((s) => own.has(s.code));
		return elements.length
			? [meanOf(elements, { level: 'subindex', code, title: SUB_INDEX_TITLE[code]() })]
			: [];
	});
	// the index is defined by both sub-indices: with one of them unscored there is none
	const total =
		subIndices.length === SUB_INDICES.length
			? [meanOf(subIndices, { level: 'total', code: 'total', title: totalTitle(spec, 0) })]
			: [];
	return [...total, ...subIndices, ...sections, ...parts, ...indicators];
}

/** Turns a response into the indicator values it gives (indicator rules are worked out once). */
export function respondentsOf(spec: InstrumentSpec): (response: ResponseForScoring) => Respondent {
	const rules = new Map<string, (option: string) => number | undefined>();
	for (const q of allQuestions(spec)) {
		const value = indicatorValue(spec, q);
		if (value) rules.set(q.code, value);
	}
	return (response) => {
		const values = new Map<string, number>();
		for (const a of response.answers) {
			const value = rules.get(a.code);
			if (!value || !('options' in a)) continue;
			const first = a.options.map(value).find((v) => v !== undefined);
			if (first !== undefined) values.set(a.code, first);
		}
		return { weight: response.weight, values };
	};
}

/** Every measure of the spec estimated over `responses`. */
export function score(spec: InstrumentSpec, responses: readonly ResponseForScoring[]): Scored[] {
	const respondents = responses.map(respondentsOf(spec));
	return measuresOf(spec).map((m) => ({
		...m,
		result: estimate(respondents, m.terms, { range: m.range, share: m.share })
	}));
}

export type Distribution = {
	question: string;
	/** respondents who answered, and their total weight */
	n: number;
	weight: number;
	options: { code: string; n: number; weight: number; share: number }[];
};

/** How the answers to each choice question spread over its options (weighted shares). */
export function distributions(
	spec: InstrumentSpec,
	responses: readonly ResponseForScoring[]
): Distribution[] {
	const result: Distribution[] = [];
	for (const q of allQuestions(spec)) {
		if (!('options' in q)) continue;
		const counts = new Map(q.options.map((o) => [o.code, { n: 0, weight: 0 }]));
		let n = 0;
		let weight = 0;
		for (const r of responses) {
			const a = r.answers.find((x) => x.code === q.code);
			if (!a || !('options' in a)) continue;
			n++;
			weight += r.weight;
			for (const o of a.options) {
				const c = counts.get(o);
				if (c) {
					c.n++;
					c.weight += r.weight;
				}
			}
		}
		result.push({
			question: q.code,
			n,
			weight,
			options: q.options.map((o) => {
				const c = counts.get(o.code)!;
				return {
					code: o.code,
					n: c.n,
					weight: c.weight,
					share: weight > 0 ? c.weight / weight : 0
				};
			})
		});
	}
	return result;
}
