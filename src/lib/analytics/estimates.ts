/**
 * Survey estimates with their uncertainty, from weighted respondents. Pure: no I/O.
 *
 * Every number shown is either the weighted mean of one item over the respondents who answered
 * it (a share is the mean of a 0/1 item) or a fixed linear combination of such means (a PAPI
 * sub-dimension, dimension or total; a SIPAS element or overall index).
 *
 * - Standard errors come from Taylor linearization. Respondent r's influence on
 *   D = Σ c_i ȳ_i is z_r = Σ_i c_i w_r (y_ri − ȳ_i) / W_i over the items r answered, and
 *   var(D) = n/(n−1) Σ_r z_r² (the with-replacement estimator for one stage of sampling). It
 *   respects design weights, answers missing at random ("don't know", refusals, skipped items)
 *   and the covariance between the items of a composite.
 * - A share of one item gets a Wilson score interval, with Kish's effective sample size
 *   (Σw)² / Σw² standing in for n when weights differ. Composites get the normal interval
 *   D ± 1.96·SE.
 * - An estimate is flagged too wide to show when its 95% margin exceeds MAX_MARGIN of its scale
 *   (±0.10 on a share, ±1 point on a 10-point dimension, ±8 on the 80-point total).
 */

export const Z95 = 1.959963984540054;
/** The widest 95% margin shown without a warning, as a fraction of the measure's scale. */
export const MAX_MARGIN = 0.1;

export type Respondent = {
	weight: number;
	/** item -> value, only for the items this respondent answered */
	values: ReadonlyMap<string, number>;
};

export type Term = { item: string; coefficient: number };

export type Estimate = {
	/** respondents who answered at least one item of the measure */
	n: number;
	/** Kish's effective sample size, (Σw)² / Σw² */
	nEffective: number;
	estimate: number;
	se: number;
	low: number;
	high: number;
	method: 'wilson' | 'linearized';
	tooWide: boolean;
	/** design effect (variance over the design / individual-level variance), for a designed sample */
	deff?: number | null;
};

/** Wilson score interval for a proportion `p` observed on `n` (possibly effective) respondents. */
export function wilson(p: number, n: number, z = Z95): [number, number] {
	if (!(n > 0)) return [NaN, NaN];
	const z2 = z * z;
	const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
	const half = ((z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) as number;
	return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

type ItemTotals = { weight: number; weighted: number };

/**
 * The estimate of Σ c_i ȳ_i over `respondents`, on a scale of width `range`. A share (one 0/1
 * item with coefficient 1) gets a Wilson interval. Undefined when nobody answered, or when
 * nobody answered one of the items of a composite.
 */
export function estimate(
	respondents: readonly Respondent[],
	terms: readonly Term[],
	options: { range: number; share?: boolean }
): Estimate | undefined {
	const totals = new Map<string, ItemTotals>();
	for (const t of terms) totals.set(t.item, { weight: 0, weighted: 0 });
	let n = 0;
	let sumW = 0;
	let sumW2 = 0;
	for (const r of respondents) {
		let answered = false;
		for (const [item, total] of totals) {
			const y = r.values.get(item);
			if (y === undefined) continue;
			total.weight += r.weight;
			total.weighted += r.weight * y;
			answered = true;
		}
		if (answered) {
			n++;
			sumW += r.weight;
			sumW2 += r.weight * r.weight;
		}
	}
	if (n === 0) return undefined;
	const means = new Map<string, number>();
	for (const [item, t] of totals) if (t.weight > 0) means.set(item, t.weighted / t.weight);
	// a composite with an item nobody answered is not estimated: summed over fewer parts, it
	// would read low
	if (means.size < totals.size) return undefined;
	const value = terms.reduce((sum, t) => sum + t.coefficient * means.get(t.item)!, 0);

	let sumZ2 = 0;
	for (const r of respondents) {
		let z = 0;
		for (const t of terms) {
			const y = r.values.get(t.item);
			if (y === undefined) continue;
			z += (t.coefficient * r.weight * (y - means.get(t.item)!)) / totals.get(t.item)!.weight;
		}
		sumZ2 += z * z;
	}
	const nEffective = (sumW * sumW) / sumW2;
	const share = options.share && terms.length === 1 && terms[0]!.coefficient === 1;
	const se = n > 1 ? Math.sqrt((n / (n - 1)) * sumZ2) : NaN;
	return finish({ n, nEffective, value, se, share: !!share, range: options.range });
}

/**
 * An estimate with its interval and width flag: a Wilson interval for a share (its `se` is
 * then the binomial one on the effective n), else value ± 1.96·se.
 */
export function finish(e: {
	n: number;
	nEffective: number;
	value: number;
	se: number;
	share: boolean;
	range: number;
}): Estimate {
	if (e.share) {
		const [low, high] = wilson(e.value, e.nEffective);
		return {
			n: e.n,
			nEffective: e.nEffective,
			estimate: e.value,
			se: Math.sqrt((e.value * (1 - e.value)) / e.nEffective),
			low,
			high,
			method: 'wilson',
			tooWide: !((high - low) / 2 <= MAX_MARGIN * e.range)
		};
	}
	return {
		n: e.n,
		nEffective: e.nEffective,
		estimate: e.value,
		se: e.se,
		low: e.value - Z95 * e.se,
		high: e.value + Z95 * e.se,
		method: 'linearized',
		tooWide: !(Z95 * e.se <= MAX_MARGIN * e.range)
	};
}
