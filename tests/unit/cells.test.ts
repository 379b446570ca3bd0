import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	accumulator,
	addSums,
	emptySums,
	type GroupSums,
	groupsOf,
	personalValue,
	type Shown,
	type Sums
} from '$lib/analytics/cells';
import { decideDisclosure } from '$lib/analytics/disclosure';
import { estimateFromRows, shownFromRows, type ResultRow } from '$lib/analytics/published';
import { measuresOf, score, type ResponseForScoring } from '$lib/analytics/scoring';
import type { InstrumentSpec } from '$lib/surveys/spec';
import { papi, papiResponses, sipas, sipasResponses } from './analytics-fixtures';

/** One map keyed "grouping|cell|measure", as the store's rows are keyed. */
function flatten(nested: GroupSums): Map<string, Sums> {
	const flat = new Map<string, Sums>();
	for (const [group, measures] of nested)
		for (const [measure, sums] of measures) flat.set(`${group}|${measure}`, sums);
	return flat;
}

/**
 * What a snapshot publishes for the whole-wave group, by measure: the sums with the hidden reason
 * decided over every group (standard errors are tested in variance.test.ts).
 */
function publishedWave(
	spec: InstrumentSpec,
	responses: readonly ResponseForScoring[],
	k: number
): Map<string, ResultRow> {
	const { all } = waveSums(spec, responses);
	const key = (flat: string) => flat.split('|').join('\u001f');
	const { hidden } = decideDisclosure({
		k,
		counts: new Map([...all].map(([flat, s]) => [key(flat), s.n])),
		measures: measuresOf(spec),
		history: []
	});
	const rows = new Map<string, ResultRow>();
	for (const [flat, s] of all) {
		const [grouping, , measure] = flat.split('|');
		if (grouping === '')
			rows.set(measure!, {
				measure: measure!,
				...s,
				se: null,
				se_design: null,
				hidden: hidden.get(key(flat)) ?? null
			});
	}
	return rows;
}

/** Sums of the whole-wave group, by measure, as the store would hold them. */
function waveSums(spec: InstrumentSpec, responses: readonly ResponseForScoring[]) {
	const nested: GroupSums = new Map();
	const add = accumulator(spec);
	for (const r of responses) add(nested, { ...r, unitId: 7 }, (g) => `${g.grouping}|${g.cell}`);
	const all = flatten(nested);
	const wave = new Map<string, Sums>();
	for (const [key, sums] of all) {
		const [grouping, , measure] = key.split('|');
		if (grouping === '') wave.set(measure!, sums);
	}
	return { all, wave };
}

describe('stored sums', () => {
	it('give the same values and n as scoring the raw answers', () => {
		for (const [spec, responses] of [
			[papi, papiResponses],
			[sipas, sipasResponses]
		] as const) {
			const rows = publishedWave(spec, responses, 5);
			const raw = score(spec, responses);
			for (const m of measuresOf(spec)) {
				const fromRaw = raw.find((r) => r.code === m.code)!.result!;
				const stored = estimateFromRows(m, rows)!;
				expect(stored.estimate, m.code).toBeCloseTo(fromRaw.estimate, 12);
				expect(stored.n, m.code).toBe(fromRaw.n);
				expect(stored.nEffective, m.code).toBeCloseTo(fromRaw.nEffective, 12);
			}
		}
	});

	it('add up across groups: the communes of a wave sum to the wave', () => {
		const add = accumulator(sipas);
		const nested: GroupSums = new Map();
		sipasResponses.forEach((r, i) =>
			add(nested, { ...r, unitId: i % 2 }, (g) => `${g.grouping}|${g.cell}`)
		);
		const byUnit = flatten(nested);
		const total = emptySums();
		for (const [key, sums] of byUnit)
			if (key.startsWith('unit|') && key.endsWith('|qb')) addSums(total, sums);
		expect(total).toEqual(byUnit.get('||qb'));
	});

	it('count a response in the wave, its commune, each band and each band in the commune', () => {
		expect(groupsOf(5, [['gender', 'female']])).toEqual([
			{ grouping: '', cell: '' },
			{ grouping: 'unit', cell: '5' },
			{ grouping: 'band:gender', cell: 'female' },
			{ grouping: 'unit+band:gender', cell: '5|female' }
		]);
		expect(groupsOf(null, [])).toEqual([{ grouping: '', cell: '' }]);
	});

	it("rescale a respondent's answered terms to the composite's full weight", () => {
		const terms = [
			{ item: 'a', coefficient: 2.5 },
			{ item: 'b', coefficient: 2.5 },
			{ item: 'c', coefficient: 5 }
		];
		expect(
			personalValue(
				terms,
				new Map([
					['a', 1],
					['b', 0],
					['c', 0.5]
				])
			)
		).toBeCloseTo(5, 12);
		// only a and c answered: (2.5 + 2.5) / 7.5 of the weight, scaled up to 10
		expect(
			personalValue(
				terms,
				new Map([
					['a', 1],
					['c', 0.5]
				])
			)
		).toBeCloseTo((5 * 10) / 7.5, 12);
		expect(personalValue(terms, new Map())).toBeUndefined();
	});
});

describe('composites with a part nobody answered', () => {
	/** 12 respondents (papiResponses three times), without the answers to `dropped`. */
	const without = (dropped: string, keep = 0) =>
		[...papiResponses, ...papiResponses, ...papiResponses].map((r, i) => ({
			...r,
			answers: r.answers.filter((a) => a.code !== dropped || i < keep)
		}));
	const view = (responses: readonly ResponseForScoring[]) => {
		const rows = publishedWave(papi, responses, 5);
		return (code: string): Shown =>
			shownFromRows(
				measuresOf(papi).find((m) => m.code === code)!,
				rows
			);
	};
	const hidden = (reason: string) => ({ result: undefined, suppressed: true, reason });

	it('hides a dimension one of whose sub-dimensions nobody answered, and the total, with the reason', () => {
		// nobody answered q3, the only indicator of p2: d1 would be p1 alone, about half its value
		const of = view(without('q3'));
		expect(of('d1')).toEqual(hidden('incomplete'));
		expect(of('total')).toEqual(hidden('incomplete'));
		expect(of('p2')).toEqual({ result: undefined, suppressed: false, reason: null });
		// the complete siblings are shown, with the values the full answers give them
		expect(of('p1').result!.estimate).toBeCloseTo((5 * (2 / 3 + 3 / 4)) / 2, 10);
		expect(of('d2').result!.estimate).toBeCloseTo(5, 10);
		expect(of('p3')).toMatchObject({ suppressed: false, reason: null });
	});

	it('hides a sub-dimension one of whose indicators nobody answered, and what it is part of', () => {
		const of = view(without('q2'));
		expect(of('p1')).toEqual(hidden('incomplete'));
		expect(of('d1')).toEqual(hidden('incomplete'));
		expect(of('total')).toEqual(hidden('incomplete'));
		expect(of('p2').result!.estimate).toBeCloseTo(5 * 0.5625, 10);
		expect(of('d2').result!.estimate).toBeCloseTo(5, 10);
		expect(of('q1').result!.estimate).toBeCloseTo(2 / 3, 10);
	});

	it('hides a composite with a part hidden for fewer than k, which it would give away', () => {
		// q2 answered by 3 < k: p1 less q1's shown share would be q2's mean over those 3
		const of = view(without('q2', 3));
		expect(of('q2')).toEqual(hidden('small'));
		expect(of('p1')).toEqual(hidden('part-small'));
		expect(of('d1')).toEqual(hidden('part-small'));
		expect(of('total')).toEqual(hidden('part-small'));
		expect(of('p2').result!.estimate).toBeCloseTo(5 * 0.5625, 10);
		expect(of('d2')).toMatchObject({ suppressed: false, reason: null });
	});
});

describe('composites from stored sums (property)', () => {
	const option = (...codes: string[]) => fc.constantFrom(undefined, ...codes);
	const respondent = fc.record({
		q1: option('yes', 'no', 'dont_know'),
		q2: option('yes', 'no'),
		q3: option('1', '3', '5'),
		q4: option('yes', 'no')
	});

	it('show a composite only with every part shown, and then over all its parts', () => {
		fc.assert(
			fc.property(
				fc.array(respondent, { maxLength: 40 }),
				fc.integer({ min: 5, max: 12 }),
				(rows, k) => {
					const responses = rows.map((r) => ({
						weight: 1,
						answers: Object.entries(r).flatMap(([code, o]) => (o ? [{ code, options: [o] }] : []))
					}));
					const { wave } = waveSums(papi, responses);
					const published = publishedWave(papi, responses, k);
					const measures = measuresOf(papi);
					const view = new Map(measures.map((m) => [m.code, shownFromRows(m, published)]));
					const answered = (item: string) => wave.get(item)?.n ?? 0;
					for (const m of measures) {
						const s = view.get(m.code)!;
						if (m.level !== 'indicator' && (wave.get(m.code)?.n ?? 0) >= k)
							expect(s.reason === 'incomplete', m.code).toBe(
								m.terms.some((t) => answered(t.item) === 0)
							);
						if (!s.result) continue;
						expect(s.result.n).toBeGreaterThanOrEqual(k);
						// every measure made of some of its indicators is shown too: none can be worked out
						for (const part of measures)
							if (part.terms.every((t) => m.terms.some((u) => u.item === t.item)))
								expect(view.get(part.code)!.result, `${m.code} ⊃ ${part.code}`).toBeDefined();
						const full = m.terms.reduce((sum, t) => {
							const item = wave.get(t.item)!;
							return sum + (t.coefficient * item.wy) / item.w;
						}, 0);
						expect(s.result.estimate, m.code).toBeCloseTo(full, 10);
					}
				}
			)
		);
	});
});
