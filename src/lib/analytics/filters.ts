import { DEFAULT_K, suppressCells, type Partition } from './suppression';
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
 *   its values and all its cells (`groupLayout`);
 * - `suppressCells` hides every group with 0 < n < k and, repeatedly, whatever would give one
 *   away; the "none" margins are never shown, only worked out.
 */

export type Filter = {
	unit: string | null;
	band: { question: string; option: string } | null;
	/** a one-stop shop counter (its kiosk's responses): a filter of its own, with no other */
	counter?: string | null;
};

export function groupOf(f: Filter): Group {
	if (f.counter) return { grouping: 'counter', cell: f.counter };
	if (f.unit !== null && f.band)
		return { grouping: `unit+band:${f.band.question}`, cell: `${f.unit}|${f.band.option}` };
	if (f.unit !== null) return { grouping: 'unit', cell: f.unit };
	if (f.band) return { grouping: `band:${f.band.question}`, cell: f.band.option };
	return { grouping: '', cell: '' };
}

/** The filter an address asks for, keeping only a commune and a band value the wave has. */
export function parseFilter(
	params: URLSearchParams,
	known: {
		units: ReadonlySet<string>;
		bands: ReadonlyMap<string, ReadonlySet<string>>;
		counters?: ReadonlySet<string>;
	}
): Filter {
	const counter = params.get('counter');
	if (counter && known.counters?.has(counter)) return { unit: null, band: null, counter };
	const unit = params.get('unit');
	const [question, option] = (params.get('band') ?? '').split(':');
	return {
		unit: unit && known.units.has(unit) ? unit : null,
		band: question && option && known.bands.get(question)?.has(option) ? { question, option } : null
	};
}

export const filterParams = (f: Filter): Record<string, string> => ({
	...(f.counter ? { counter: f.counter } : {}),
	...(f.unit !== null ? { unit: f.unit } : {}),
	...(f.band ? { band: `${f.band.question}:${f.band.option}` } : {})
});

export type GroupCount = Group & { n: number };

export const groupKey = (g: Group) => `${g.grouping}\u001f${g.cell}`;
export function parseGroupKey(key: string): Group {
	const [grouping = '', cell = ''] = key.split('\u001f');
	return { grouping, cell };
}

/**
 * The margin of respondents with no commune, or with no answer to a band: no stored group holds
 * them, so they are worked out. '-' is neither a commune id nor an option code.
 */
export const NONE = '-';

export const WAVE = groupKey({ grouping: '', cell: '' });

/**
 * How a wave's groups add up. `derived` are the margins no stored group holds, each its parent
 * less other groups (in an order where each uses only groups before it); `partitions` are every
 * parent that is exactly the union of its children:
 * - the wave is its communes and the "no commune" margin, and for each band its values and "none";
 * - with kiosk responses, the wave is also its counters and the "no counter" margin (the web and
 *   interview responses);
 * - with `combined` (the default; not for answer distributions, which are not kept for a band
 *   within a commune), for each band the commune × value table with a "none" row and column:
 *   each commune (and "no commune") is its row, each value (and "none") its column, the wave all
 *   its cells.
 */
export type GroupLayout = {
	/** every group key, stored groups first */
	groups: string[];
	derived: { key: string; parent: string; less: string[] }[];
	partitions: Partition[];
};

export function groupLayout(
	groups: readonly Group[],
	{ combined = true }: { combined?: boolean } = {}
): GroupLayout {
	const units = groups.filter((g) => g.grouping === 'unit').map((g) => g.cell);
	const bands = new Map<string, string[]>();
	for (const g of groups)
		if (g.grouping.startsWith('band:')) {
			const q = g.grouping.slice(5);
			bands.set(q, [...(bands.get(q) ?? []), g.cell]);
		}
	const stored = new Set([
		WAVE,
		...groups.filter((g) => combined || !g.grouping.startsWith('unit+')).map(groupKey)
	]);
	const derived: GroupLayout['derived'] = [];
	const partitions: Partition[] = [];
	const unitKey = (u: string) => groupKey({ grouping: 'unit', cell: u });
	const noUnit = unitKey(NONE);
	derived.push({ key: noUnit, parent: WAVE, less: units.map(unitKey) });
	partitions.push({ parent: WAVE, children: [...units, NONE].map(unitKey) });
	const counters = groups.filter((g) => g.grouping === 'counter').map((g) => g.cell);
	if (counters.length) {
		const counterKey = (c: string) => groupKey({ grouping: 'counter', cell: c });
		derived.push({ key: counterKey(NONE), parent: WAVE, less: counters.map(counterKey) });
		partitions.push({ parent: WAVE, children: [...counters, NONE].map(counterKey) });
	}
	for (const [q, options] of bands) {
		const colKey = (o: string) => groupKey({ grouping: `band:${q}`, cell: o });
		derived.push({ key: colKey(NONE), parent: WAVE, less: options.map(colKey) });
		const cols = [...options, NONE];
		partitions.push({ parent: WAVE, children: cols.map(colKey) });
		if (!combined) continue;
		const rows = [...units, NONE];
		const cell = (u: string, o: string) =>
			groupKey({ grouping: `unit+band:${q}`, cell: `${u}|${o}` });
		for (const u of units) for (const o of options) stored.add(cell(u, o));
		for (const o of options)
			derived.push({ key: cell(NONE, o), parent: colKey(o), less: units.map((u) => cell(u, o)) });
		for (const u of units)
			derived.push({
				key: cell(u, NONE),
				parent: unitKey(u),
				less: options.map((o) => cell(u, o))
			});
		derived.push({
			key: cell(NONE, NONE),
			parent: noUnit,
			less: options.map((o) => cell(NONE, o))
		});
		for (const u of rows)
			partitions.push({ parent: unitKey(u), children: cols.map((o) => cell(u, o)) });
		for (const o of cols)
			partitions.push({ parent: colKey(o), children: rows.map((u) => cell(u, o)) });
		partitions.push({ parent: WAVE, children: rows.flatMap((u) => cols.map((o) => cell(u, o))) });
	}
	return { groups: [...stored, ...derived.map((d) => d.key)], derived, partitions };
}

/** Every group's n in a layout, the derived margins worked out from the stored groups' `n`. */
export function layoutCounts(layout: GroupLayout, n: (key: string) => number): Map<string, number> {
	const all = new Map<string, number>();
	for (const key of layout.groups) all.set(key, n(key));
	for (const d of layout.derived)
		all.set(d.key, all.get(d.parent)! - d.less.reduce((s, key) => s + all.get(key)!, 0));
	return all;
}

/**
 * Whether each group of the wave must be hidden, given every group's respondent count, with no
 * earlier publication to account for (see `decideDisclosure` for measures and snapshots).
 */
export function hiddenGroups(counts: readonly GroupCount[], k = DEFAULT_K): (g: Group) => boolean {
	const stored = new Map(counts.map((c) => [groupKey(c), c.n]));
	const layout = groupLayout(counts);
	const n = layoutCounts(layout, (key) => stored.get(key) ?? 0);
	const waveHidden = n.get(WAVE)! < k;
	const { hidden } = suppressCells(n, layout.partitions, k, {
		unpublished: layout.derived.map((d) => d.key)
	});
	return (g) => waveHidden || hidden.has(groupKey(g));
}
