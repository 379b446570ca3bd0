import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	categoryOf,
	kishN,
	membersOf,
	rake,
	type RakingMargin,
	type RakingRespondent
} from '$lib/analytics/raking';

const person = (values: Record<string, string>, weight = 1): RakingRespondent => ({
	weight,
	values: new Map(Object.entries(values))
});

/**
 * The hand-computed example: 8 respondents with design weight 1 (D = 8, mean 1), by sex (m, f)
 * and area (u, r):
 *
 *            u   r
 *       m    3   1    = 4
 *       f    1   3    = 4
 *            4   4
 *
 * The population is half men, half women (500, 500) and a quarter urban (250, 750), so the
 * targets on D = 8 are m 4, f 4, u 2, r 6.
 */
const eight = [
	...Array.from({ length: 3 }, () => person({ sex: 'm', area: 'u' })),
	person({ sex: 'm', area: 'r' }),
	person({ sex: 'f', area: 'u' }),
	...Array.from({ length: 3 }, () => person({ sex: 'f', area: 'r' }))
];
const sexArea: RakingMargin[] = [
	{
		variable: 'sex',
		categories: [
			{ category: 'm', population: 500 },
			{ category: 'f', population: 500 }
		]
	},
	{
		variable: 'area',
		categories: [
			{ category: 'u', population: 250 },
			{ category: 'r', population: 750 }
		]
	}
];
/** one weight per cell, in the order of `eight`: mu ×3, mr, fu, fr ×3 */
const cells = (mu: number, mr: number, fu: number, fr: number) => [mu, mu, mu, mr, fu, fr, fr, fr];

function expectClose(actual: readonly number[], expected: readonly number[], digits = 9) {
	expect(actual).toHaveLength(expected.length);
	actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i]!, digits));
}

describe('raking, against a hand computation', () => {
	it('iteration 1: sex is already met (4, 4); area 4, 4 becomes 2, 6 (factors 1/2 and 3/2)', () => {
		const result = rake(eight, sexArea, { maxIterations: 1 });
		if (!result.ok) throw new Error('refused');
		expectClose(result.weights, cells(0.5, 1.5, 0.5, 1.5));
		expect(result.report.converged).toBe(false);
		expect(result.report.iterations).toBe(1);
		// now sex is m 3, f 5: 25 % off
		expect(result.report.margins[0]!.maxDeviation).toBeCloseTo(0.25, 12);
		// Kish: (Σw)² / Σw² = 8² / (4 · 0.25 + 4 · 2.25) = 64 / 10 = 6.4, against 8 before: 20 % lost
		expect(result.report.effectiveN.design).toBeCloseTo(8, 12);
		expect(result.report.effectiveN.final).toBeCloseTo(6.4, 12);
		expect(result.report.effectiveN.loss).toBeCloseTo(0.2, 12);
	});

	it('iteration 2: sex 3, 5 becomes 4, 4 (×4/3, ×4/5), then area 2.4, 5.6 becomes 2, 6 (×5/6, ×15/14)', () => {
		const result = rake(eight, sexArea, { maxIterations: 2 });
		if (!result.ok) throw new Error('refused');
		// mu: 0.5 · 4/3 · 5/6 = 5/9; mr: 1.5 · 4/3 · 15/14 = 15/7;
		// fu: 0.5 · 4/5 · 5/6 = 1/3;  fr: 1.5 · 4/5 · 15/14 = 9/7
		expectClose(result.weights, cells(5 / 9, 15 / 7, 1 / 3, 9 / 7));
	});

	it('the fixed point keeps the odds ratio of the design table, (3 · 3) / (1 · 1) = 9', () => {
		// With x the weight of the mu cell, the cells are x, 4 − x, 2 − x, 2 + x (margins 4, 4, 2, 6),
		// and x (2 + x) / ((4 − x)(2 − x)) = 9 gives x² − 7x + 9 = 0, x = (7 − √13) / 2 ≈ 1.6972.
		const x = (7 - Math.sqrt(13)) / 2;
		const result = rake(eight, sexArea);
		if (!result.ok) throw new Error('refused');
		expect(result.report.converged).toBe(true);
		expect(result.report.trimmed).toBe(0);
		expectClose(result.weights, cells(x / 3, 4 - x, 2 - x, (2 + x) / 3), 5);
		for (const m of result.report.margins) expect(m.maxDeviation).toBeLessThanOrEqual(1e-6);
		// Kish with the final weights: 64 / Σw²
		const squares = 3 * (x / 3) ** 2 + (4 - x) ** 2 + (2 - x) ** 2 + 3 * ((2 + x) / 3) ** 2;
		expect(result.report.effectiveN.final).toBeCloseTo(64 / squares, 5);
		expect(result.report.effectiveN.loss).toBeCloseTo(1 - 64 / squares / 8, 5);
		expect(result.report.range.min).toBeCloseTo(2 - x, 5);
		expect(result.report.range.max).toBeCloseTo(4 - x, 5);
	});

	it('trims a weight below the bound and rakes again, until both hold', () => {
		// Untrimmed, fu gets 2 − x ≈ 0.303. With a floor of 0.4 × the mean (1), the weights that
		// meet both margins are mu = a, mr = 4 − 3a, fu = 2 − 3a, fr = (2 + 3a) / 3; fu ≥ 0.4
		// needs a ≤ 8/15. Rake, trim, repeat ends on that edge: fu = 0.4, mu = 8/15, mr = 2.4,
		// fr = 1.2.
		const result = rake(eight, sexArea, { lower: 0.4 });
		if (!result.ok) throw new Error('refused');
		expect(result.report.converged).toBe(true);
		expect(result.report.trimmed).toBe(1);
		expect(result.report.trimRounds).toBeGreaterThan(0);
		expect(result.report.outOfBounds).toBe(0);
		expectClose(result.weights, cells(8 / 15, 2.4, 0.4, 1.2), 5);
		expect(Math.min(...result.weights)).toBeGreaterThanOrEqual(0.4 * (1 - 1e-6));
	});

	it('says it did not converge when no weights within the bounds meet the margins', () => {
		// fu ≥ 0.55 needs a ≤ 0.483, and then mu = a < 0.55: no weights fit
		const result = rake(eight, sexArea, { lower: 0.55, maxIterations: 300 });
		if (!result.ok) throw new Error('refused');
		expect(result.report.converged).toBe(false);
		expect(result.report.iterations).toBe(300);
		expect(
			result.report.outOfBounds > 0 || result.report.margins.some((m) => m.maxDeviation > 1e-6)
		).toBe(true);
	});

	it('keeps the design-weighted share of respondents who did not state the variable', () => {
		// D = 1 + 1 + 1 + 2 = 5; the one not stated has design weight 2: target 2 (40 %). The others
		// share 3 as the population does, 60 % men: men 1.8, women 1.2. One step: each man
		// 1.8 / 2 = 0.9, the woman 1.2, the one not stated stays at 2.
		const four = [person({ sex: 'm' }), person({ sex: 'm' }), person({ sex: 'f' }), person({}, 2)];
		const result = rake(four, [
			{
				variable: 'sex',
				categories: [
					{ category: 'm', population: 600 },
					{ category: 'f', population: 400 }
				]
			}
		]);
		if (!result.ok) throw new Error('refused');
		expectClose(result.weights, [0.9, 0.9, 1.2, 2]);
		expect(result.report.margins[0]).toMatchObject({ notStated: 1, notStatedShare: 0.4 });
		expect(result.report.iterations).toBe(1);
	});

	it('counts an option the margin does not list (other, prefer not to say) as not stated', () => {
		const result = rake(
			[person({ sex: 'm' }), person({ sex: 'f' }), person({ sex: 'other' })],
			[sexArea[0]!]
		);
		if (!result.ok) throw new Error('refused');
		expectClose(result.weights, [1, 1, 1]);
		expect(result.report.margins[0]!.notStated).toBe(1);
	});

	it('merges options into one category', () => {
		expect(membersOf('f*a+b')).toEqual(['f*a', 'f*b']);
		expect(membersOf('m+f*a+b')).toEqual(['m*a', 'm*b', 'f*a', 'f*b']);
		// D = 4; thai and muong together are a quarter of the people: target 1, so the two weigh 1/2
		const result = rake(
			[person({ e: 'kinh' }), person({ e: 'kinh' }), person({ e: 'thai' }), person({ e: 'muong' })],
			[
				{
					variable: 'e',
					categories: [
						{ category: 'kinh', population: 300 },
						{ category: 'thai+muong', population: 100 }
					]
				}
			]
		);
		if (!result.ok) throw new Error('refused');
		expectClose(result.weights, [1.5, 1.5, 0.5, 0.5]);
	});

	it('crosses variables', () => {
		expect(
			categoryOf(
				new Map([
					['sex', 'f'],
					['age', '18_24']
				]),
				'sex*age'
			)
		).toBe('f*18_24');
		expect(categoryOf(new Map([['sex', 'f']]), 'sex*age')).toBeUndefined();
		const result = rake(
			[
				person({ sex: 'm', age: 'y' }),
				person({ sex: 'f', age: 'y' }),
				person({ sex: 'f', age: 'o' })
			],
			[
				{
					variable: 'sex*age',
					categories: [
						{ category: 'm*y', population: 1 },
						{ category: 'f*y', population: 1 },
						{ category: 'f*o', population: 2 }
					]
				}
			]
		);
		if (!result.ok) throw new Error('refused');
		// D = 3: targets 0.75, 0.75, 1.5
		expectClose(result.weights, [0.75, 0.75, 1.5]);
	});
});

describe('raking refuses what cannot be fitted', () => {
	it('a category with people and no respondent, or respondents and no people', () => {
		const result = rake(
			[person({ sex: 'm' }), person({ sex: 'x' })],
			[
				{
					variable: 'sex',
					categories: [
						{ category: 'm', population: 10 },
						{ category: 'f', population: 10 },
						{ category: 'x', population: 0 },
						{ category: 'y', population: 0 }
					]
				},
				{ variable: 'area', categories: [{ category: 'u', population: 0 }] }
			]
		);
		expect(result).toEqual({
			ok: false,
			reason: 'categories',
			refusals: [
				{ variable: 'sex', category: 'f', reason: 'no-sample' },
				{ variable: 'sex', category: 'x', reason: 'no-population' },
				{ variable: 'area', category: '', reason: 'empty-margin' }
			]
		});
	});

	it('no respondents at all', () => {
		expect(rake([], sexArea)).toEqual({ ok: false, reason: 'no-respondents' });
	});
});

/** Weighted count of each category of a margin, "not stated" under '' . */
function sumsOf(
	respondents: readonly RakingRespondent[],
	weights: readonly number[],
	m: RakingMargin
) {
	const listed = new Set(m.categories.map((c) => c.category));
	const sums = new Map<string, number>();
	respondents.forEach((r, i) => {
		const c = categoryOf(r.values, m.variable);
		const key = c !== undefined && listed.has(c) ? c : '';
		sums.set(key, (sums.get(key) ?? 0) + weights[i]!);
	});
	return sums;
}

const VARIABLES = ['a', 'b', 'c'];

/** Respondents with design weights and "true" weights w*, and margins that w* meets. */
const feasible = fc
	.record({
		sizes: fc.array(fc.integer({ min: 2, max: 4 }), { minLength: 1, maxLength: 3 }),
		people: fc.array(
			fc.record({
				design: fc.double({ min: 0.5, max: 2, noNaN: true }),
				truth: fc.double({ min: 0.5, max: 2, noNaN: true }),
				codes: fc.array(fc.nat(), { minLength: 3, maxLength: 3 })
			}),
			{ minLength: 20, maxLength: 150 }
		),
		scales: fc.array(fc.double({ min: 0.1, max: 1000, noNaN: true }), {
			minLength: 3,
			maxLength: 3
		})
	})
	.map(({ sizes, people, scales }) => {
		const respondents = people.map((p) =>
			person(
				Object.fromEntries(sizes.map((k, v) => [VARIABLES[v]!, String(p.codes[v]! % k)])),
				p.design
			)
		);
		// margins from w*, each scaled by its own total (census tables of different totals)
		const margins: RakingMargin[] = sizes.map((k, v) => ({
			variable: VARIABLES[v]!,
			categories: Array.from({ length: k }, (_, c) => ({
				category: String(c),
				population:
					scales[v]! *
					people.reduce(
						(s, p, i) =>
							s + (respondents[i]!.values.get(VARIABLES[v]!) === String(c) ? p.truth : 0),
						0
					)
			}))
		}));
		// w* as ratios of its mean, the weights IPF would have to reach with no design weights
		const mean = people.reduce((s, p) => s + p.truth, 0) / people.length;
		return { respondents, margins, truth: people.map((p) => p.truth / mean) };
	});

describe('raking, any case', () => {
	it('meets every margin within the tolerance, within the bounds, whenever weights exist that do', () => {
		fc.assert(
			fc.property(feasible, ({ respondents, margins }) => {
				const result = rake(respondents, margins);
				// a category nobody is in has population 0 here, which is no reason to refuse
				if (!result.ok) throw new Error(`refused: ${JSON.stringify(result)}`);
				const { weights, report } = result;
				expect(report.converged).toBe(true);
				const total = respondents.reduce((s, r) => s + r.weight, 0);
				const mean = total / respondents.length;
				const sum = weights.reduce((s, w) => s + w, 0);
				expect(Math.abs(sum - total) / total).toBeLessThanOrEqual(1e-6);
				for (const m of margins) {
					const population = m.categories.reduce((s, c) => s + c.population, 0);
					const sums = sumsOf(respondents, weights, m);
					for (const c of m.categories) {
						const target = (total * c.population) / population;
						if (target > 0)
							expect(Math.abs(sums.get(c.category)! - target) / target).toBeLessThanOrEqual(1e-6);
					}
				}
				for (const w of weights) {
					expect(w).toBeGreaterThanOrEqual(0.2 * mean * (1 - 1e-6));
					expect(w).toBeLessThanOrEqual(5 * mean * (1 + 1e-6));
				}
				expect(report.effectiveN.design).toBeCloseTo(kishN(respondents.map((r) => r.weight)), 9);
				expect(report.effectiveN.final).toBeCloseTo(kishN(weights), 9);
				expect(report.effectiveN.loss).toBeCloseTo(
					1 - report.effectiveN.final / report.effectiveN.design,
					12
				);
			}),
			{ numRuns: 200 }
		);
	});

	it('with respondents not stating a variable: when it converges, the margins and their shares hold', () => {
		const withGaps = fc
			.tuple(feasible, fc.array(fc.boolean(), { minLength: 150, maxLength: 150 }))
			.map(([{ respondents, margins }, gaps]) => ({
				margins,
				respondents: respondents.map((r, i) =>
					gaps[i] && i % 3 === 0
						? { weight: r.weight, values: new Map([...r.values].filter(([v]) => v !== 'a')) }
						: r
				)
			}));
		fc.assert(
			fc.property(withGaps, ({ respondents, margins }) => {
				const result = rake(respondents, margins, { lower: 0.01, upper: 100 });
				if (!result.ok || !result.report.converged) return;
				const total = respondents.reduce((s, r) => s + r.weight, 0);
				for (const m of margins) {
					const population = m.categories.reduce((s, c) => s + c.population, 0);
					const sums = sumsOf(respondents, result.weights, m);
					const notStated = sumsOf(
						respondents,
						respondents.map((r) => r.weight),
						m
					).get('');
					expect(sums.get('') ?? 0).toBeCloseTo(notStated ?? 0, 4);
					for (const c of m.categories) {
						const target = ((total - (notStated ?? 0)) * c.population) / population;
						if (target > 0)
							expect(Math.abs(sums.get(c.category)! - target) / target).toBeLessThanOrEqual(1e-6);
					}
				}
			}),
			{ numRuns: 100 }
		);
	});

	it('keeps the weights within tight bounds, trimming and raking again, when weights within them exist', () => {
		let trimmedCases = 0;
		fc.assert(
			fc.property(feasible, ({ respondents, margins, truth }) => {
				// bounds just around w*: the weights w* meet the margins within them
				const lower = 0.95 * Math.min(...truth);
				const upper = 1.05 * Math.max(...truth);
				const result = rake(respondents, margins, { lower, upper });
				if (!result.ok) throw new Error('refused');
				const { report, weights } = result;
				expect(report.converged).toBe(true);
				if (report.trimRounds > 0) trimmedCases++;
				const mean = respondents.reduce((s, r) => s + r.weight, 0) / respondents.length;
				for (const w of weights) {
					expect(w).toBeGreaterThanOrEqual(lower * mean * (1 - 1e-6));
					expect(w).toBeLessThanOrEqual(upper * mean * (1 + 1e-6));
				}
				for (const m of report.margins) expect(m.maxDeviation).toBeLessThanOrEqual(1e-6);
			}),
			{ numRuns: 200 }
		);
		console.log('trimmed', trimmedCases);
		// the property is about trimming: most cases need it
		expect(trimmedCases).toBeGreaterThan(100);
	});
});
