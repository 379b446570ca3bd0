import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accumulator, groupsOf, bandsOf, type GroupSums } from '$lib/analytics/cells';
import { estimate, type Respondent } from '$lib/analytics/estimates';
import { measuresOf, respondentsOf } from '$lib/analytics/scoring';
import { varianceCollector, type DesignUnit } from '$lib/analytics/variance';
import type { CleanAnswer } from '$lib/surveys/answers';
import { instrumentSpec, type InstrumentSpec } from '$lib/surveys/spec';
import { papi, sipas } from './analytics-fixtures';

const t = (vi: string) => ({ vi, en: vi });

/** The fixture instruments with a sex band, so that responses fall into band groups too. */
const withBands = (spec: InstrumentSpec): InstrumentSpec =>
	instrumentSpec.parse({
		...spec,
		sections: [
			...spec.sections,
			{
				code: 'demo',
				role: 'demographics',
				title: t('Thông tin'),
				parts: [
					{
						code: 'demo_p',
						questions: [
							{
								code: 'sex',
								type: 'single',
								text: t('Giới tính'),
								options: [
									{ code: 'm', label: t('Nam'), score: null },
									{ code: 'f', label: t('Nữ'), score: null }
								]
							}
						]
					}
				]
			}
		]
	});

type Row = { unitId: number | null; weight: number; answers: CleanAnswer[]; design: DesignUnit };

const groupKey = (g: { grouping: string; cell: string }) => `${g.grouping}|${g.cell}`;

/** What a snapshot does: working sums first, then the variances centred on their means. */
function snapshot(spec: InstrumentSpec, rows: readonly Row[], designed: boolean) {
	const sums: GroupSums = new Map();
	const add = accumulator(spec);
	for (const r of rows) add(sums, r, groupKey);
	const collector = varianceCollector(spec, (key) => sums.get(key), groupKey, designed);
	for (const r of rows) collector.add(r, r.design);
	return {
		sums,
		spread: collector.result((key, measure) => sums.get(key)?.get(measure)?.n ?? 0)
	};
}

/** A response's groups, as the aggregator counts it. */
const groupsOfRow = (spec: InstrumentSpec, r: Row) =>
	groupsOf(r.unitId, bandsOf(spec)(r.answers)).map(groupKey);

/** The with-replacement design variance written out directly from its formula, for checking. */
function designDirect(
	members: readonly { row: Row; respondent: Respondent }[],
	all: readonly Row[],
	terms: readonly { item: string; coefficient: number }[]
): number {
	const totals = new Map<string, { w: number; wy: number }>();
	for (const { respondent } of members)
		for (const term of terms) {
			const y = respondent.values.get(term.item);
			if (y === undefined) continue;
			const total = totals.get(term.item) ?? { w: 0, wy: 0 };
			total.w += respondent.weight;
			total.wy += respondent.weight * y;
			totals.set(term.item, total);
		}
	const psuTotals = new Map<string, Map<string, number>>();
	for (const r of all) {
		const stratum = psuTotals.get(r.design.stratum) ?? new Map<string, number>();
		stratum.set(r.design.psu, 0);
		psuTotals.set(r.design.stratum, stratum);
	}
	for (const { row, respondent } of members) {
		let z = 0;
		for (const term of terms) {
			const y = respondent.values.get(term.item);
			const total = totals.get(term.item);
			if (y === undefined || !total) continue;
			z += (term.coefficient * respondent.weight * (y - total.wy / total.w)) / total.w;
		}
		const stratum = psuTotals.get(row.design.stratum)!;
		stratum.set(row.design.psu, stratum.get(row.design.psu)! + z);
	}
	let v = 0;
	for (const psus of psuTotals.values()) {
		const zs = [...psus.values()];
		if (zs.length < 2) continue;
		const mean = zs.reduce((a, b) => a + b, 0) / zs.length;
		v += (zs.length / (zs.length - 1)) * zs.reduce((a, z) => a + (z - mean) ** 2, 0);
	}
	return v;
}

const rowsArbitrary = (spec: InstrumentSpec) => {
	const questions = spec.sections.flatMap((s) =>
		s.parts.flatMap((p) =>
			p.questions.flatMap((q) => ('options' in q ? [{ code: q.code, options: q.options }] : []))
		)
	);
	const answer = (q: (typeof questions)[number]) =>
		// skipped, or any option (don't know included)
		fc.option(fc.constantFrom(...q.options.map((o) => o.code)), { freq: 4 });
	return fc
		.array(
			fc.record({
				unit: fc.constantFrom(1, 2, 3, 4, null),
				weight: fc.double({ min: 0.2, max: 5, noNaN: true }),
				stratum: fc.constantFrom('a', 'b'),
				answers: fc.tuple(...questions.map(answer))
			}),
			{ minLength: 2, maxLength: 40 }
		)
		.map((records) =>
			records.map((r, at): Row => ({
				unitId: r.unit,
				weight: r.weight,
				answers: questions.flatMap((q, i) =>
					r.answers[i] ? [{ code: q.code, options: [r.answers[i]!] }] : []
				),
				// the commune is the PSU; respondents without one are each their own
				design: {
					stratum: r.unit === null ? 'a' : r.unit % 2 ? 'a' : 'b',
					psu: r.unit === null ? `r${at}` : String(r.unit)
				}
			}))
		);
};

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

describe('standard errors from a snapshot', () => {
	for (const [name, base] of [
		['PAPI-style', papi],
		['SIPAS-style', sipas]
	] as const) {
		const spec = withBands(base);
		it(`equal estimate() on the raw answers, in every group and measure (${name}, property)`, () => {
			fc.assert(
				fc.property(rowsArbitrary(spec), (rows) => {
					const { spread } = snapshot(spec, rows, false);
					const toRespondent = respondentsOf(spec);
					for (const [key, measures] of spread) {
						const members = rows.filter((r) => groupsOfRow(spec, r).includes(key));
						const respondents = members.map(toRespondent);
						for (const m of measuresOf(spec)) {
							const got = measures.get(m.code);
							const want = estimate(respondents, m.terms, { range: m.range });
							if (!want) continue;
							const se = Math.sqrt(got?.individual ?? NaN);
							if (Number.isNaN(want.se)) expect(se, `${key} ${m.code}`).toBeNaN();
							else expect(close(se, want.se), `${key} ${m.code}: ${se} ≠ ${want.se}`).toBe(true);
						}
					}
				}),
				{ numRuns: 150 }
			);
		});

		it(`over strata and PSUs equal the formula written out (${name}, property)`, () => {
			fc.assert(
				fc.property(rowsArbitrary(spec), (rows) => {
					const { spread } = snapshot(spec, rows, true);
					const toRespondent = respondentsOf(spec);
					for (const [key, measures] of spread) {
						const members = rows
							.filter((r) => groupsOfRow(spec, r).includes(key))
							.map((row) => ({ row, respondent: toRespondent(row) }));
						const psus = new Set(members.map((m) => `${m.row.design.stratum}|${m.row.design.psu}`));
						for (const m of measuresOf(spec)) {
							const got = measures.get(m.code);
							if (!got) continue;
							if (psus.size < 2) expect(got.design, `${key} ${m.code}`).toBeNull();
							else {
								const want = designDirect(members, rows, m.terms);
								expect(close(got.design!, want), `${key} ${m.code}: ${got.design} ≠ ${want}`).toBe(
									true
								);
							}
						}
					}
				}),
				{ numRuns: 150 }
			);
		});
	}

	it('match a hand-computed design variance', () => {
		// One share item, weights 1, one stratum. PSU A: satisfied, satisfied, satisfied (y = 1, 1, 1);
		// PSU B: y = 0, 0, 1. ȳ = 4/6 = 2/3, W = 6, z = (y − 2/3)/6: 1/18 for y = 1, −1/9 for y = 0.
		// PSU totals: A = 3/18 = 1/6, B = −2/9 + 1/18 = −1/6. Design: 2/(2−1) · (1/36 + 1/36) = 1/9.
		// Individual: 6/5 · (4 · 1/324 + 2 · 4/324) = 6/5 · 12/324 = 2/45. Design effect 2.5.
		const spec = withBands(sipas);
		const row = (psu: string, option: string): Row => ({
			unitId: null,
			weight: 1,
			answers: [{ code: 'qa', options: [option] }],
			design: { stratum: '', psu }
		});
		const rows = [
			row('A', '5'),
			row('A', '4'),
			row('A', '5'),
			row('B', '1'),
			row('B', '2'),
			row('B', '4')
		];
		const { spread } = snapshot(spec, rows, true);
		const qa = spread.get('|')!.get('qa')!;
		expect(qa.design).toBeCloseTo(1 / 9, 12);
		expect(qa.individual).toBeCloseTo(2 / 45, 12);
	});
});
