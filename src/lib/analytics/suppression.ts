/**
 * Small-cell suppression for a set of published counts and the ways they add up. Pure.
 *
 * A cell is a group of respondents (a commune, women in a commune, everyone in the wave). A
 * partition says a parent group is exactly the union of its children (a commune is its women and
 * its men and those who gave no answer; the wave is its communes). Filters take one value per
 * dimension, so every pair of nested groups a user can ask for is a parent and a child, or a
 * parent and a union of children, of some partition given here.
 *
 * - Primary: a cell with 0 < n < k is suppressed.
 * - Complementary: where a parent is shown, what its suppressed children add up to (the parent
 *   minus its shown children) must be 0 or at least k, else the smallest shown non-empty child is
 *   suppressed as well; with no child left to suppress, the parent is. Where a parent is
 *   suppressed but every child is shown, the smallest non-empty child is suppressed, so the
 *   parent cannot be rebuilt by adding. Rules repeat until nothing changes.
 * Empty cells (n = 0) are shown: they reveal nobody.
 */

export const DEFAULT_K = 10;
export const MIN_K = 5;

export type Partition = { parent: string; children: readonly string[] };

/** The keys of the cells that must not be shown. */
export function suppress(
	counts: ReadonlyMap<string, number>,
	partitions: readonly Partition[],
	k = DEFAULT_K
): Set<string> {
	if (!(k >= MIN_K)) throw new Error(`k must be at least ${MIN_K}`);
	const n = (key: string) => counts.get(key) ?? 0;
	const hidden = new Set([...counts].filter(([, c]) => c > 0 && c < k).map(([key]) => key));

	const smallestShown = (keys: readonly string[]) =>
		keys
			.filter((key) => !hidden.has(key) && n(key) > 0)
			.sort((a, b) => n(a) - n(b) || a.localeCompare(b))[0];

	for (let changed = true; changed;) {
		changed = false;
		for (const { parent, children } of partitions) {
			if (!hidden.has(parent)) {
				const rest = children.filter((c) => hidden.has(c)).reduce((sum, c) => sum + n(c), 0);
				if (rest > 0 && rest < k) {
					const next = smallestShown(children) ?? parent;
					hidden.add(next);
					changed = true;
				}
			} else if (children.every((c) => !hidden.has(c) || n(c) === 0)) {
				const next = smallestShown(children);
				if (next) {
					hidden.add(next);
					changed = true;
				}
			}
		}
	}
	return hidden;
}
