import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupsOf, type Group } from '$lib/analytics/cells';
import {
	groupOf,
	hiddenGroups,
	parseFilter,
	type Filter,
	type GroupCount
} from '$lib/analytics/filters';

const UNITS = ['11', '12', '13'];
const BANDS = { gender: ['male', 'female'], age: ['young', 'middle', 'old'] } as const;
type Respondent = { unit: string | null; gender: string | null; age: string | null };

/** Respondent counts of every stored group, as the aggregator keeps them. */
function countsOf(respondents: readonly Respondent[]): GroupCount[] {
	const counts = new Map<string, GroupCount>();
	for (const r of respondents) {
		const bands: [string, string][] = [];
		if (r.gender) bands.push(['gender', r.gender]);
		if (r.age) bands.push(['age', r.age]);
		for (const g of groupsOf(r.unit === null ? null : Number(r.unit), bands)) {
			const key = `${g.grouping}|${g.cell}`;
			const c = counts.get(key) ?? { ...g, n: 0 };
			c.n++;
			counts.set(key, c);
		}
	}
	return [...counts.values()];
}

/** Every filter an analyst can choose. */
const filters: Filter[] = [null, ...UNITS].flatMap((unit) => [
	{ unit, band: null },
	...Object.entries(BANDS).flatMap(([question, options]) =>
		options.map((option) => ({ unit, band: { question, option } }))
	)
]);

/** Whether group `inner` is inside group `outer` (every respondent of one is in the other). */
function contains(outer: Filter, inner: Filter): boolean {
	if (outer.unit !== null && outer.unit !== inner.unit) return false;
	if (
		outer.band &&
		(inner.band?.question !== outer.band.question || inner.band.option !== outer.band.option)
	)
		return false;
	return true;
}

const respondents = fc.array(
	fc.record({
		unit: fc.constantFrom(null, ...UNITS),
		gender: fc.constantFrom(null, ...BANDS.gender),
		age: fc.constantFrom(null, ...BANDS.age)
	}),
	{ maxLength: 120 }
);

describe('filtered results', () => {
	it('name the stored group of each filter', () => {
		expect(groupOf({ unit: null, band: null })).toEqual({ grouping: '', cell: '' });
		expect(groupOf({ unit: '12', band: null })).toEqual({ grouping: 'unit', cell: '12' });
		expect(groupOf({ unit: null, band: { question: 'gender', option: 'male' } })).toEqual({
			grouping: 'band:gender',
			cell: 'male'
		});
		expect(groupOf({ unit: '12', band: { question: 'gender', option: 'male' } })).toEqual({
			grouping: 'unit+band:gender',
			cell: '12|male'
		});
	});

	it('ignore a commune or band value the wave does not have', () => {
		const known = { units: new Set(['12']), bands: new Map([['gender', new Set(['male'])]]) };
		const parse = (q: string) => parseFilter(new URLSearchParams(q), known);
		expect(parse('unit=12&band=gender:male')).toEqual({
			unit: '12',
			band: { question: 'gender', option: 'male' }
		});
		expect(parse('unit=99&band=gender:robot')).toEqual({ unit: null, band: null });
		expect(parse('band=%3Cscript%3E&unit=')).toEqual({ unit: null, band: null });
	});

	it('hide a commune of 3 and whatever would give it away (worked example)', () => {
		const people: Respondent[] = [
			...Array.from({ length: 20 }, () => ({ unit: '11', gender: 'female', age: 'young' })),
			...Array.from({ length: 3 }, () => ({ unit: '12', gender: 'male', age: 'old' })),
			...Array.from({ length: 15 }, () => ({ unit: '13', gender: 'male', age: 'young' }))
		];
		const hidden = hiddenGroups(countsOf(people), 10);
		const at = (f: Filter) => hidden(groupOf(f));
		expect(at({ unit: '12', band: null })).toBe(true);
		// the wave minus communes 11 and 13 would give commune 12: another commune goes too
		expect(at({ unit: '11', band: null }) || at({ unit: '13', band: null })).toBe(true);
		// men (18) minus the men of commune 13 (15) would give the 3 of commune 12
		expect(
			at({ unit: null, band: { question: 'gender', option: 'male' } }) ||
				at({ unit: '13', band: { question: 'gender', option: 'male' } })
		).toBe(true);
		expect(at({ unit: null, band: null })).toBe(false);
	});

	it('never show, under any filters, a group with 0 < n < k nor two whose difference is 0 < d < k', () => {
		fc.assert(
			fc.property(respondents, fc.constantFrom(5, 10), (people, k) => {
				const counts = countsOf(people);
				const hidden = hiddenGroups(counts, k);
				const size = (g: Group) =>
					counts.find((c) => c.grouping === g.grouping && c.cell === g.cell)?.n ?? 0;
				const shown = filters.filter((f) => !hidden(groupOf(f)));
				for (const f of shown) {
					const n = size(groupOf(f));
					expect(n === 0 || n >= k, `${JSON.stringify(f)}: n = ${n}`).toBe(true);
				}
				for (const outer of shown)
					for (const inner of shown) {
						if (outer === inner || !contains(outer, inner)) continue;
						const d = size(groupOf(outer)) - size(groupOf(inner));
						expect(d === 0 || d >= k, `${JSON.stringify([outer, inner])}: d = ${d}`).toBe(true);
					}
			}),
			{ numRuns: 400 }
		);
	});

	it('hide everything when the wave itself is below k', () => {
		const people = Array.from({ length: 7 }, () => ({ unit: '11', gender: 'male', age: 'old' }));
		const hidden = hiddenGroups(countsOf(people), 10);
		expect(filters.every((f) => hidden(groupOf(f)))).toBe(true);
	});
});
