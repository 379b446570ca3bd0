import type { Measure } from './scoring';

/**
 * The measure among `among` (another version's measures) that is the same combination of the same
 * items as `measure`, whatever its code and level; the highest level first. Pure.
 *
 * Across versions of an instrument a number can change its name: the five-element index of a
 * SIPAS version before the 2023–2026 method (its 'total') is the service sub-index of a version
 * after it, when the service elements are unchanged. Trends and the plan dashboard use this to
 * line up a wave on the old version with one on the new, and nothing else: a total that now has a
 * policy part is not the old total.
 */
export function equivalentMeasure<M extends Comparable>(
	measure: Comparable,
	among: readonly M[]
): M | undefined {
	return among.find((m) => sameNumber(m, measure));
}

type Comparable = Pick<Measure, 'range' | 'terms'>;

/** Whether two measures are the same combination of the same items on the same scale. */
export function sameNumber(a: Comparable, b: Comparable): boolean {
	return a.range === b.range && a.terms.length === b.terms.length && termsKey(a) === termsKey(b);
}

/** The terms as comparable text: items in order, coefficients to 12 significant digits. */
function termsKey(m: Pick<Measure, 'terms'>): string {
	return m.terms
		.map((t) => `${t.item}*${t.coefficient.toPrecision(12)}`)
		.sort()
		.join(' ');
}
