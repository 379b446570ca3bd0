/**
 * Small-cell suppression for a set of published counts and the ways they add up. Pure.
 *
 * A cell is a group of respondents (a commune, women in a commune, everyone in the wave). A
 * partition says a parent group is exactly the union of its children (a commune is its women and
 * its men and those who gave no answer; the wave is its communes). Filters take one value per
 * dimension, so every pair of nested groups a user can ask for is a parent and a child, or a
 * parent and a union of children, of some partition given here.
 *
 * What a reader knows (`knownCells`): every shown cell and, over and over, a partition's last
 * unknown member (a parent less its other children, or the sum of all its children). Cells marked
 * `unpublished` (margins nobody can ask for, such as "no commune") are never shown, only worked
 * out. Comparing two publications, a reader knows the change of every cell known in both, and
 * works out more changes the same way.
 *
 * The rule, for the counts now and for the change since each earlier publication given (counts
 * only grow: responses are never deleted):
 * - no cell known now has n, or a change since an earlier publication where it was known too,
 *   between 1 and k−1;
 * - where a parent is known, what its unknown children add up to (in n, or in change) is 0 or at
 *   least k.
 * A violation is mended by hiding one more cell: the cell itself if it is shown, else one of the
 * others of the partition that gives it away, the one with the smallest n or change above 0 (so a
 * child before its parent, whose n and change are never smaller; hiding an unchanged cell does
 * not help, its value is already public; where that one is worked out itself, one step further
 * back). Rules repeat until nothing changes. A cell hidden only as a complement that can be
 * worked out anyway is shown: hiding it protects nobody. Empty and unchanged cells are shown:
 * they reveal nobody new.
 */

export const DEFAULT_K = 10;
export const MIN_K = 5;

export type Partition = { parent: string; children: readonly string[] };

/** Why a cell is hidden: hidden by the caller, fewer than k respondents, fewer than k new ones. */
export type Cause = 'given' | 'small' | 'step';

/** An earlier publication: every cell's n then, and the cells a reader knew then. */
export type Earlier = { counts: ReadonlyMap<string, number>; known: ReadonlySet<string> };

export type SuppressOptions = {
	/** cells hidden whatever their counts */
	hidden?: Iterable<string>;
	/** cells never shown themselves, known only when they can be worked out */
	unpublished?: Iterable<string>;
	/** earlier publications of the same cells, whose changes must not give anyone away either */
	earlier?: readonly Earlier[];
};

export type Suppression = {
	/** every cell that may be shown but is not, with why */
	hidden: Map<string, Cause>;
	/** every cell whose n can be read or worked out from what is shown */
	known: Set<string>;
};

/** What a reader can work out from `start`, and through which partition each worked-out cell. */
export function knownCells(start: Iterable<string>, partitions: readonly Partition[]) {
	const known = new Set(start);
	const via = new Map<string, Partition>();
	for (let changed = true; changed;) {
		changed = false;
		for (const p of partitions) {
			let found: string | undefined;
			if (known.has(p.parent)) {
				let unknown = 0;
				for (const c of p.children)
					if (!known.has(c)) {
						unknown++;
						found = c;
					}
				if (unknown !== 1) found = undefined;
			} else if (p.children.every((c) => known.has(c))) found = p.parent;
			if (found !== undefined) {
				known.add(found);
				via.set(found, p);
				changed = true;
			}
		}
	}
	return { known, via };
}

/** The keys of the cells that must not be shown. */
export function suppress(
	counts: ReadonlyMap<string, number>,
	partitions: readonly Partition[],
	k = DEFAULT_K
): Set<string> {
	return new Set(suppressCells(counts, partitions, k).hidden.keys());
}

export function suppressCells(
	counts: ReadonlyMap<string, number>,
	partitions: readonly Partition[],
	k = DEFAULT_K,
	options: SuppressOptions = {}
): Suppression {
	if (!(k >= MIN_K)) throw new Error(`k must be at least ${MIN_K}`);
	const n = (key: string) => counts.get(key) ?? 0;
	const small = (x: number) => x > 0 && x < k;
	const cells = new Set(counts.keys());
	for (const p of partitions) [p.parent, ...p.children].forEach((c) => cells.add(c));
	const unpublished = new Set(options.unpublished ?? []);
	const hidden = new Map<string, Cause>();
	for (const c of options.hidden ?? []) if (!unpublished.has(c)) hidden.set(c, 'given');
	const shown = (c: string) => !unpublished.has(c) && !hidden.has(c);
	// what a reader learns is a small group if its n is small, else only a small change
	const causeOf = (keys: readonly string[]): Cause =>
		small(keys.reduce((s, c) => s + n(c), 0)) ? 'small' : 'step';

	// the counts now compared with nothing, then with each earlier publication where some cell
	// changed by 1..k−1 (what a reader works out is a sum of changes: with none small, none is)
	const bases = [
		{ change: n, known: null },
		...(options.earlier ?? [])
			.map((e) => ({ change: (c: string) => n(c) - (e.counts.get(c) ?? 0), known: e.known }))
			.filter((b) => [...cells].some((c) => small(b.change(c))))
	];
	// first the cells that break the rule on their own
	for (const c of cells)
		if (shown(c) && bases.some((b) => (b.known === null || b.known.has(c)) && small(b.change(c))))
			hidden.set(c, causeOf([c]));

	/** The candidate with the smallest change above 0 (then the smallest n, then by key). */
	const smallest = (keys: readonly string[], change: (c: string) => number) =>
		keys
			.filter((c) => change(c) > 0)
			.sort((a, b) => change(a) - change(b) || n(a) - n(b) || a.localeCompare(b))[0];
	/** The members of partition `p` other than `cell`, children first (for the fallbacks). */
	const othersOf = (p: Partition, cell: string) => {
		const children = p.children.filter((c) => c !== cell);
		return cell === p.parent ? children : [...children, p.parent];
	};

	for (;;) {
		const now = knownCells([...cells].filter(shown), partitions);

		/** Hides one more cell so that `cell`, known now, can no longer be worked out that way. */
		const concealNow = (cell: string, cause: Cause, change: (c: string) => number): void => {
			if (shown(cell)) {
				hidden.set(cell, cause);
				return;
			}
			const others = othersOf(now.via.get(cell)!, cell);
			const pick =
				smallest(others.filter(shown), change) ??
				smallest(others, change) ??
				others.find((c) => shown(c) && n(c) > 0) ??
				others.find(shown) ??
				others[0]!;
			// a cell worked out itself was known before `cell`, so this ends
			concealNow(pick, cause, change);
		};

		let mended = false;
		for (const base of bases) {
			const inBoth = base.known ? [...now.known].filter((c) => base.known!.has(c)) : null;
			const { known, via } = inBoth ? knownCells(inBoth, partitions) : now;
			const direct = new Set(inBoth ?? now.known);
			/** Hides one more cell so that the change of `cell` can no longer be worked out. */
			const conceal = (cell: string, cause: Cause): void => {
				if (base.known === null || direct.has(cell)) return concealNow(cell, cause, base.change);
				// a change worked out through a partition: hide another change of it
				const others = othersOf(via.get(cell)!, cell);
				conceal(smallest(others, base.change) ?? others[0]!, cause);
			};
			const leaked = [...known].find((c) => small(base.change(c)));
			if (leaked !== undefined) {
				conceal(leaked, causeOf([leaked]));
				mended = true;
				break;
			}
			for (const p of partitions) {
				if (!known.has(p.parent)) continue;
				const rest = p.children.filter((c) => !known.has(c));
				if (!small(rest.reduce((s, c) => s + base.change(c), 0))) continue;
				const inside = p.children.filter((c) => known.has(c));
				const next =
					smallest(inside.filter(shown), base.change) ?? smallest(inside, base.change) ?? p.parent;
				conceal(next, causeOf(rest));
				mended = true;
				break;
			}
			if (mended) break;
		}
		if (!mended) {
			// a cell hidden only as a complement but worked out anyway protects nobody
			for (const [c, cause] of hidden) if (cause !== 'given' && now.known.has(c)) hidden.delete(c);
			return { hidden, known: now.known };
		}
	}
}
