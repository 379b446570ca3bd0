import {
	answeredMeasureOf,
	isDistributionMeasure,
	RESPONDENTS,
	type Group,
	type HiddenReason
} from './cells';
import {
	groupKey,
	groupLayout,
	layoutCounts,
	parseGroupKey,
	WAVE,
	type GroupLayout
} from './filters';
import type { Measure } from './scoring';
import { knownCells, suppressCells, type Earlier } from './suppression';

/**
 * What a snapshot of a wave may show, decided once for every group and measure. Pure.
 *
 * Each stored (group, measure) n is a cell: the group's respondents ('#'), those with a value for
 * an indicator or a composite, those who answered a question ('?q'). A reader of the snapshot
 * must not learn the answers of fewer than k respondents from the cells shown now together with
 * the cells shown in any earlier snapshot. So, for each measure on its own, over the groups'
 * partitions (`groupLayout`: the wave is its communes and its band values, each commune its band
 * values, with the "none" margins worked out; the distributions '?q' have no band-within-commune
 * cells, so only the wave's two kinds of partition), `suppressCells` hides cells until:
 * 1. no cell that can be read or worked out now has 0 < n < k ('small');
 * 2. for each earlier snapshot, no cell known then and now (read or worked out), and no change
 *    worked out from those, changed by 1..k−1 respondents ('step': fewer than k new ones since);
 * 3. where a parent is known, its unknown children add up to 0 or at least k, in n now and in
 *    change since each earlier snapshot (so two complements hidden together cannot be watched
 *    growing by fewer than k either).
 * And across measures:
 * 4. a group hidden on '#' hides every measure in it, with the group's reason; a '?q' hidden
 *    hides its options '?q=o' in the group (an option's count is a count among the '?q'
 *    answerers, protected with them);
 * 5. a composite (part, section, total) in a group is 'incomplete' when one of its indicators
 *    has no answer there (while the composite has some), 'part-small' when one of its indicators
 *    is hidden there; otherwise its own n (respondents who answered one of its items at least)
 *    goes through 1–3 like any measure.
 * What a reader works out is always a sum of cells' counts or changes, so an earlier snapshot
 * where no cell has changed by 1..k−1 since cannot give anyone away now. And an earlier snapshot
 * whose known cells are all known in a later one is covered by it: a change since the earlier is
 * the change between the two (checked when the later was decided) plus the change since the later
 * (checked now), each 0 or at least k. So `keep` lists the earlier snapshots not so covered, the
 * ones the next decision still needs besides this one.
 */

export type CellKey = string;

const SEP = '\u001f';

/** The key of one (group, measure) cell: its grouping, cell and measure. */
export const cellKey = (g: Group, measure: string): CellKey => `${groupKey(g)}${SEP}${measure}`;

export function parseCellKey(key: CellKey): Group & { measure: string } {
	const at = key.lastIndexOf(SEP);
	return { ...parseGroupKey(key.slice(0, at)), measure: key.slice(at + 1) };
}

/** A decided snapshot as stored: every (group, measure) n, and the cells hidden with why. */
export type Snapshot = {
	counts: ReadonlyMap<CellKey, number>;
	hidden: ReadonlyMap<CellKey, HiddenReason>;
};

export type DisclosureInput = {
	k: number;
	/** every stored (group, measure) n of the wave now: '#' gives group sizes, indicators and
	 * composites by code, '?q' respondents who answered question q, '?q=o' those who chose o */
	counts: ReadonlyMap<CellKey, number>;
	/** the instrument version's measures (composites with their terms) */
	measures: readonly Measure[];
	/** the earlier snapshots of the wave a reader may have seen, oldest first (those `keep` kept) */
	history: readonly Snapshot[];
};

export type Decision = {
	/** the stored cells not to show, with why */
	hidden: Map<CellKey, HiddenReason>;
	/** which of `history` (by index) the next decision still needs; it needs this one as well */
	keep: number[];
};

export function decideDisclosure({ k, counts, measures, history }: DisclosureInput): Decision {
	const byMeasure = groupByMeasure(counts);
	const before = history.map((h) => ({
		counts: groupByMeasure(h.counts),
		hidden: groupByMeasure(h.hidden)
	}));
	const groups = [...(byMeasure.get(RESPONDENTS)?.keys() ?? [])].map(parseGroupKey);
	const full = groupLayout(groups);
	const margins = groupLayout(groups, { combined: false });
	const hidden = new Map<CellKey, HiddenReason>();
	const keep = new Set<number>();
	/** by measure, the hidden groups (stored or not, margins never) with why */
	const hiddenIn = new Map<string, Map<string, HiddenReason>>();

	function decide(
		measure: string,
		layout: GroupLayout,
		given: (group: string, n: number) => HiddenReason | undefined
	) {
		const stored = byMeasure.get(measure) ?? new Map<string, number>();
		const n = layoutCounts(layout, (g) => stored.get(g) ?? 0);
		const derived = new Set(layout.derived.map((d) => d.key));
		const published = layout.groups.filter((g) => !derived.has(g));
		// newest first, each earlier snapshot whose known cells no later one knows all of
		const bases: (Earlier & { index: number })[] = [];
		for (let i = history.length - 1; i >= 0; i--) {
			const then = before[i]!;
			const hiddenThen = then.hidden.get(measure);
			const groupHidden = then.hidden.get(RESPONDENTS);
			// as `hiddenLookup`: hidden itself or in a group hidden on '#'
			const shown = published.filter((g) => !hiddenThen?.has(g) && !groupHidden?.has(g));
			const { known } = knownCells(shown, layout.partitions);
			if (bases.some((b) => within(known, b.known))) continue;
			const was = then.counts.get(measure);
			const counts = layoutCounts(layout, (g) => was?.get(g) ?? 0);
			bases.push({ counts, known, index: i });
		}
		const forced = new Map<string, HiddenReason>();
		for (const g of published) {
			const reason = given(g, n.get(g)!);
			if (reason) forced.set(g, reason);
		}
		const result = suppressCells(n, layout.partitions, k, {
			hidden: forced.keys(),
			unpublished: derived,
			earlier: bases
		});
		const reasons = new Map<string, HiddenReason>();
		for (const [g, cause] of result.hidden)
			reasons.set(g, cause === 'given' ? forced.get(g)! : cause);
		for (const g of stored.keys()) {
			const reason = reasons.get(g);
			if (reason) hidden.set(g + SEP + measure, reason);
		}
		hiddenIn.set(measure, reasons);
		for (const b of bases) if (!within(b.known, result.known)) keep.add(b.index);
	}

	const waveSmall = (byMeasure.get(RESPONDENTS)?.get(WAVE) ?? 0) < k;
	decide(RESPONDENTS, full, () => (waveSmall ? 'small' : undefined));
	const byGroup = hiddenIn.get(RESPONDENTS)!;
	const composites = new Map(
		measures.filter((m) => m.level !== 'indicator').map((m) => [m.code, m])
	);
	const rest = [...byMeasure.keys()].filter(
		(m) => m !== RESPONDENTS && !answeredMeasureOf(m) && !composites.has(m)
	);
	for (const m of rest) decide(m, isDistributionMeasure(m) ? margins : full, (g) => byGroup.get(g));
	for (const c of composites.values()) {
		if (!byMeasure.has(c.code)) continue;
		const items = c.terms.map((t) => t.item);
		decide(c.code, full, (g, n) => {
			const group = byGroup.get(g);
			if (group) return group;
			if (n > 0 && items.some((i) => !byMeasure.get(i)?.get(g))) return 'incomplete';
			if (items.some((i) => hiddenIn.get(i)?.has(g))) return 'part-small';
			return undefined;
		});
	}
	// an option is hidden with the question's answerers in the group
	for (const [m, stored] of byMeasure) {
		const answered = answeredMeasureOf(m);
		if (!answered) continue;
		for (const g of stored.keys()) {
			const reason = hiddenIn.get(answered)?.get(g) ?? byGroup.get(g);
			if (reason) hidden.set(g + SEP + m, reason);
		}
	}
	return { hidden, keep: [...keep].sort((a, b) => a - b) };
}

/** Values by measure, then by group key. */
function groupByMeasure<T>(cells: ReadonlyMap<CellKey, T>) {
	const byMeasure = new Map<string, Map<string, T>>();
	for (const [key, n] of cells) {
		const at = key.lastIndexOf(SEP);
		const measure = key.slice(at + 1);
		let groups = byMeasure.get(measure);
		if (!groups) byMeasure.set(measure, (groups = new Map()));
		groups.set(key.slice(0, at), n);
	}
	return byMeasure;
}

/** Whether every cell of `a` is in `b`. */
function within(a: ReadonlySet<string>, b: ReadonlySet<string>) {
	for (const c of a) if (!b.has(c)) return false;
	return true;
}

/**
 * Why a (group, measure) is hidden in a stored decision, or null when it is shown (or empty): its
 * own reason, else its group's (a measure nobody answered in a hidden group), else, for an
 * answer option, its question's.
 */
export function hiddenLookup(
	hidden: ReadonlyMap<CellKey, HiddenReason>
): (g: Group, measure: string) => HiddenReason | null {
	return (g, measure) => {
		const answered = answeredMeasureOf(measure);
		return (
			hidden.get(cellKey(g, measure)) ??
			hidden.get(cellKey(g, RESPONDENTS)) ??
			(answered ? hidden.get(cellKey(g, answered)) : undefined) ??
			null
		);
	};
}

/** One row to store per (group, measure) of a snapshot: its n and why it is hidden. */
export type DecisionRow = Group & { measure: string; n: number; hidden: HiddenReason | null };

export function decisionRows(
	counts: ReadonlyMap<CellKey, number>,
	decision: Pick<Decision, 'hidden'>
): DecisionRow[] {
	return [...counts].map(([key, n]) => ({
		...parseCellKey(key),
		n,
		hidden: decision.hidden.get(key) ?? null
	}));
}
