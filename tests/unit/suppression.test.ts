import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { suppress, type Partition } from '$lib/analytics/suppression';

/**
 * A table as the analyst filters it: rows are communes, columns a demographic band, with every
 * margin. Each cell is a group; `contains` lists the nested pairs a user can ask for.
 */
function table(grid: number[][]) {
	const counts = new Map<string, number>();
	const partitions: Partition[] = [];
	const contains: [string, string][] = [];
	const rows = grid.map((_, i) => `r${i}`);
	const cols = grid[0]!.map((_, j) => `c${j}`);
	const cells = grid.flatMap((row, i) => row.map((_, j) => `r${i}c${j}`));
	grid.forEach((row, i) =>
		row.forEach((value, j) => {
			counts.set(`r${i}c${j}`, value);
			counts.set(`r${i}`, (counts.get(`r${i}`) ?? 0) + value);
			counts.set(`c${j}`, (counts.get(`c${j}`) ?? 0) + value);
			counts.set('all', (counts.get('all') ?? 0) + value);
		})
	);
	for (const r of rows) partitions.push({ parent: r, children: cols.map((c) => `${r}${c}`) });
	for (const c of cols) partitions.push({ parent: c, children: rows.map((r) => `${r}${c}`) });
	partitions.push({ parent: 'all', children: rows }, { parent: 'all', children: cols });
	partitions.push({ parent: 'all', children: cells });
	for (const p of partitions) for (const child of p.children) contains.push([p.parent, child]);
	return { counts, partitions, contains };
}

const grids = fc
	.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }))
	.chain(([rows, cols]) =>
		fc.array(
			fc.array(fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 40 })), {
				minLength: cols,
				maxLength: cols
			}),
			{ minLength: rows, maxLength: rows }
		)
	);

/**
 * What a reader works out from the shown cells: over and over, a partition's last unknown member
 * (the parent less the other children, or the sum of the children).
 */
function workedOut(
	counts: ReadonlyMap<string, number>,
	partitions: Partition[],
	hidden: Set<string>
) {
	const known = new Map([...counts].filter(([key]) => !hidden.has(key)));
	for (let changed = true; changed;) {
		changed = false;
		for (const { parent, children } of partitions) {
			const unknown = children.filter((c) => !known.has(c));
			if (known.has(parent) && unknown.length === 1) {
				const rest = children.reduce((s, c) => s + (known.get(c) ?? 0), 0);
				known.set(unknown[0]!, known.get(parent)! - rest);
				changed = true;
			} else if (!known.has(parent) && unknown.length === 0) {
				known.set(
					parent,
					children.reduce((s, c) => s + known.get(c)!, 0)
				);
				changed = true;
			}
		}
	}
	return known;
}

describe('small-cell suppression', () => {
	it('hides small cells and the complements that would give them away (worked example)', () => {
		// commune 0: 20 women, 3 men; commune 1: 15 women, 12 men
		const { counts, partitions } = table([
			[20, 3],
			[15, 12]
		]);
		const hidden = suppress(counts, partitions, 10);
		expect(hidden.has('r0c1')).toBe(true);
		// commune 0 is shown (23), so its women must go too, or 23 - 20 = 3 men
		expect(hidden.has('r0c0')).toBe(true);
		// men in all communes (15) minus men in commune 1 (12) would give 3: one more goes
		expect(hidden.has('r1c1') || hidden.has('c1')).toBe(true);
		expect(hidden.has('all')).toBe(false);
		// and no chain of subtractions gives it back: women in commune 0 are not 35 − 15 = 20
		expect(workedOut(counts, partitions, hidden).has('r0c1')).toBe(false);
	});

	it('never lets a chain of subtractions, across rows and columns, work out a small group', () => {
		fc.assert(
			fc.property(grids, fc.constantFrom(5, 10), (grid, k) => {
				const { counts, partitions } = table(grid);
				const hidden = suppress(counts, partitions, k);
				for (const [key, n] of workedOut(counts, partitions, hidden)) {
					expect(n, key).toBe(counts.get(key));
					expect(n === 0 || n >= k, `${key} worked out: ${n}`).toBe(true);
				}
			}),
			{ numRuns: 500 }
		);
	});

	it('never shows a cell with 0 < n < k, nor two nested cells whose difference is 0 < d < k', () => {
		fc.assert(
			fc.property(grids, fc.constantFrom(5, 10), (grid, k) => {
				const { counts, partitions, contains } = table(grid);
				const hidden = suppress(counts, partitions, k);
				const shown = (key: string) => !hidden.has(key);
				for (const [key, n] of counts) if (shown(key) && n > 0) expect(n).toBeGreaterThanOrEqual(k);
				for (const [outer, inner] of contains) {
					if (!shown(outer) || !shown(inner)) continue;
					const d = counts.get(outer)! - counts.get(inner)!;
					expect(d === 0 || d >= k, `${outer} - ${inner} = ${d}`).toBe(true);
				}
				// what the hidden children of a shown parent add up to is not a small group either
				for (const { parent, children } of partitions) {
					if (!shown(parent)) continue;
					const rest = children.filter((c) => !shown(c)).reduce((s, c) => s + counts.get(c)!, 0);
					expect(rest === 0 || rest >= k).toBe(true);
				}
			}),
			{ numRuns: 500 }
		);
	});

	it('refuses a threshold below 5', () => {
		expect(() => suppress(new Map(), [], 4)).toThrow();
	});
});
