import { DEFAULT_K, suppress, type Partition } from './suppression';
import type { Group } from './cells';

/**
 * The groups an analyst can filter a wave's results to, and which of them stay hidden. Pure.
 *
 * A filter takes at most one commune and one value of one demographic band, so the groups are
 * the wave, a commune, a band value, and a band value within a commune: exactly the groupings the
 * aggregator keeps. Which groups are hidden is decided once for the whole wave, over every
 * filter at once, so no two views can be subtracted to reveal a small group:
 * - for each band, the commune × value table with its margins (a "none" row for respondents
 *   with no commune and a "none" column for those who did not answer the band) is a set of
 *   partitions: each commune is its cells, each value is its cells, the wave is its communes,
 *   its values and all its cells;
 * - `suppress` hides every group with 0 < n < k and, repeatedly, whatever would give one away.
 */

export type Filter = { unit: string | null; band: { question: string; option: string } | null };

export const NO_FILTER: Filter = { unit: null, band: null };

export function groupOf(f: Filter): Group {
	if (f.unit !== null && f.band)
		return { grouping: `unit+band:${f.band.question}`, cell: `${f.unit}|${f.band.option}` };
	if (f.unit !== null) return { grouping: 'unit', cell: f.unit };
	if (f.band) return { grouping: `band:${f.band.question}`, cell: f.band.option };
	return { grouping: '', cell: '' };
}

/** The filter an address asks for, keeping only a commune and a band value the wave has. */
export function parseFilter(
	params: URLSearchParams,
	known: { units: ReadonlySet<string>; bands: ReadonlyMap<string, ReadonlySet<string>> }
): Filter {
	const unit = params.get('unit');
	const [question, option] = (params.get('band') ?? '').split(':');
	return {
		unit: unit && known.units.has(unit) ? unit : null,
		band: question && option && known.bands.get(question)?.has(option) ? { question, option } : null
	};
}

export const filterParams = (f: Filter): Record<string, string> => ({
	...(f.unit !== null ? { unit: f.unit } : {}),
	...(f.band ? { band: `${f.band.question}:${f.band.option}` } : {})
});

export type GroupCount = Group & { n: number };

const key = (g: Group) => `${g.grouping}\u001f${g.cell}`;
const NONE = '\u0000none';

/** Whether each group of the wave must be hidden, given every group's respondent count. */
export function hiddenGroups(counts: readonly GroupCount[], k = DEFAULT_K): (g: Group) => boolean {
	const n = new Map<string, number>();
	for (const c of counts) n.set(key(c), c.n);
	const of = (g: Group) => n.get(key(g)) ?? 0;
	const wave = key({ grouping: '', cell: '' });
	const units = counts.filter((c) => c.grouping === 'unit').map((c) => c.cell);
	const bands = new Map<string, string[]>();
	for (const c of counts)
		if (c.grouping.startsWith('band:')) {
			const q = c.grouping.slice(5);
			bands.set(q, [...(bands.get(q) ?? []), c.cell]);
		}

	const partitions: Partition[] = [];
	const noUnit = key({ grouping: 'unit', cell: NONE });
	n.set(
		noUnit,
		of({ grouping: '', cell: '' }) -
			units.reduce((s, u) => s + of({ grouping: 'unit', cell: u }), 0)
	);
	partitions.push({
		parent: wave,
		children: [...units.map((u) => key({ grouping: 'unit', cell: u })), noUnit]
	});
	for (const [q, options] of bands) {
		const inUnit = `unit+band:${q}`;
		const rows = [...units, NONE];
		const cols = [...options, NONE];
		const cell = (u: string, o: string) => key({ grouping: inUnit, cell: `${u}|${o}` });
		const rowKey = (u: string) => (u === NONE ? noUnit : key({ grouping: 'unit', cell: u }));
		const colKey = (o: string) => key({ grouping: `band:${q}`, cell: o });
		// what the stored groups leave over: no answer to the band, no commune, neither
		let noneNone = n.get(wave)!;
		for (const o of options) {
			let rest = n.get(colKey(o)) ?? 0;
			for (const u of units) rest -= n.get(cell(u, o)) ?? 0;
			n.set(cell(NONE, o), rest);
			noneNone -= n.get(colKey(o)) ?? 0;
		}
		for (const u of units) {
			let rest = n.get(rowKey(u)) ?? 0;
			for (const o of options) rest -= n.get(cell(u, o)) ?? 0;
			n.set(cell(u, NONE), rest);
			noneNone -= rest;
		}
		n.set(cell(NONE, NONE), noneNone);
		n.set(
			colKey(NONE),
			rows.reduce((s, u) => s + n.get(cell(u, NONE))!, 0)
		);
		for (const u of rows)
			partitions.push({ parent: rowKey(u), children: cols.map((o) => cell(u, o)) });
		for (const o of cols)
			partitions.push({ parent: colKey(o), children: rows.map((u) => cell(u, o)) });
		partitions.push({ parent: wave, children: cols.map(colKey) });
		partitions.push({ parent: wave, children: rows.flatMap((u) => cols.map((o) => cell(u, o))) });
	}
	const waveHidden = of({ grouping: '', cell: '' }) < k;
	const hidden = suppress(n, partitions, k);
	return (g) => waveHidden || hidden.has(key(g));
}
