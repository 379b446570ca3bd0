/**
 * Raking: respondents' weights adjusted by iterative proportional fitting (IPF) so that the
 * weighted sample has the population's distribution on each margin, starting from the design
 * weights. Pure: no I/O.
 *
 * Let d_i be respondent i's design weight, n the respondents, D = Σ d_i. A margin is a variable
 * (one demographic question, two or more crossed as "gender*age_band", or the commune's
 * urban/rural class) with a population count P_c per category c.
 *
 * - Categories the sample is too thin for are merged by the analyst ("thai+muong+khmer"), with
 *   their populations added up.
 * - Not stated. A respondent whose value of the variable is not among the margin's categories
 *   (no answer, "prefer not to answer", or an option the census table lacks) is in the margin's
 *   "not stated" group s. The census has no such group, so it keeps its design-weighted share:
 *   target T_s = Σ_{i∈s} d_i. The stated categories share the rest in the population's
 *   proportions: T_c = (D − T_s) · P_c / Σ_c' P_c'. Every margin's targets add up to D, so
 *   margins from tables with different totals (adults by sex and age, everyone by ethnicity)
 *   can be used together, and the final weights add up to D: on the design weights' scale,
 *   so that a response arriving after the raking, with its design weight, fits among them.
 * - One IPF iteration visits the margins in order; for each, every respondent's weight is
 *   multiplied by T_c / S_c for their category c (S_c the current weighted count). It stops when
 *   every category of every margin is within the relative tolerance, |S_c − T_c| / T_c ≤ tol
 *   (1e-6), or after `maxIterations` iterations.
 * - Trimming. Final weights must lie between `lower` and `upper` times the mean weight D / n
 *   (0.2× and 5×). After the IPF has met the margins, weights outside are set to the bound and
 *   the IPF runs again: rake, trim, repeat, until the raked weights are within the bounds (to
 *   the same tolerance) or the iterations run out. Both steps are projections (in the
 *   Kullback-Leibler sense) onto convex sets, so when weights exist that meet the margins
 *   within the bounds the loop approaches them.
 * - Refused outright (a typed result, nothing computed): a category with population > 0 and no
 *   respondent (no weight can make it up), a category with population 0 and respondents (their
 *   weight would have to be 0), a margin with no population at all, or no respondents.
 * - Kish's effective sample size, (Σw)² / Σw², with the design weights and with the final
 *   weights; the loss is 1 − final / design.
 */

export const CROSS = '*';
/** Options merged into one category: "thai+muong+khmer" (in each part of a crossing). */
export const MERGE = '+';

export type RakingMargin = {
	/** a base variable, or several crossed: "gender*age_band" */
	variable: string;
	/** a category is a value of each part ("female*18_24"), or several merged ("65_plus+55_64") */
	categories: readonly { category: string; population: number }[];
};

export type RakingRespondent = {
	/** design weight, > 0 */
	weight: number;
	/** base variable -> the respondent's category; absent when not stated */
	values: ReadonlyMap<string, string>;
};

export type RakingOptions = {
	/** relative deviation allowed on every category of every margin */
	tolerance: number;
	/** IPF iterations in all, over every round of trimming */
	maxIterations: number;
	/** bounds of the final weights, as ratios of the mean weight */
	lower: number;
	upper: number;
};

export const RAKING_DEFAULTS: RakingOptions = {
	tolerance: 1e-6,
	maxIterations: 2000,
	lower: 0.2,
	upper: 5
};

export type MarginReport = {
	variable: string;
	/** the largest |S_c − T_c| / T_c over the margin's categories, "not stated" included */
	maxDeviation: number;
	/** respondents not stated on this margin's variable, and their design-weighted share */
	notStated: number;
	notStatedShare: number;
};

export type RakingReport = {
	respondents: number;
	converged: boolean;
	/** IPF iterations, every round of trimming included */
	iterations: number;
	/** times weights were trimmed and the IPF run again */
	trimRounds: number;
	/** respondents whose weight was trimmed at least once */
	trimmed: number;
	/** final weights outside the bounds (beyond the tolerance): 0 when converged */
	outOfBounds: number;
	tolerance: number;
	lower: number;
	upper: number;
	margins: MarginReport[];
	/** Kish's effective n with the design weights and with the final weights; loss = 1 − final/design */
	effectiveN: { design: number; final: number; loss: number };
	/** the smallest and largest final weight as ratios of the mean */
	range: { min: number; max: number };
};

export type RakingRefusal = {
	variable: string;
	category: string;
	reason: 'no-sample' | 'no-population' | 'empty-margin';
};

export type RakingResult =
	| { ok: true; weights: number[]; report: RakingReport }
	| { ok: false; reason: 'no-respondents' }
	| { ok: false; reason: 'categories'; refusals: RakingRefusal[] };

/** The respondent's category of a (possibly crossed) variable, or undefined: not stated. */
export function categoryOf(
	values: ReadonlyMap<string, string>,
	variable: string
): string | undefined {
	const parts = variable.split(CROSS).map((p) => values.get(p));
	return parts.every((p) => p !== undefined) ? parts.join(CROSS) : undefined;
}

/** Kish's effective sample size (Σw)² / Σw². */
export function kishN(weights: ArrayLike<number>): number {
	let sum = 0;
	let squares = 0;
	for (let i = 0; i < weights.length; i++) {
		sum += weights[i]!;
		squares += weights[i]! * weights[i]!;
	}
	return squares > 0 ? (sum * sum) / squares : 0;
}

/** The values a category stands for: "f*a+b" is "f*a" and "f*b". */
export function membersOf(category: string): string[] {
	return category
		.split(CROSS)
		.map((part) => part.split(MERGE))
		.reduce<string[]>(
			(done, options) => done.flatMap((d) => options.map((o) => (d ? `${d}${CROSS}${o}` : o))),
			['']
		);
}

/** A margin as the IPF uses it: each respondent's cell (the last one is "not stated"). */
type Fitted = {
	variable: string;
	cellOf: Int32Array;
	targets: Float64Array;
	notStated: number;
	notStatedShare: number;
};

function prepare(
	respondents: readonly RakingRespondent[],
	margins: readonly RakingMargin[],
	total: number
): { fitted: Fitted[]; refusals: RakingRefusal[] } {
	const fitted: Fitted[] = [];
	const refusals: RakingRefusal[] = [];
	for (const margin of margins) {
		// a value listed twice stays with its first category (parseMargins refuses that anyway)
		const index = new Map<string, number>();
		margin.categories.forEach((c, i) => {
			for (const member of membersOf(c.category)) if (!index.has(member)) index.set(member, i);
		});
		const k = margin.categories.length;
		const cellOf = new Int32Array(respondents.length);
		const counts = new Array<number>(k + 1).fill(0);
		let notStatedWeight = 0;
		respondents.forEach((r, i) => {
			const category = categoryOf(r.values, margin.variable);
			const cell = category === undefined ? k : (index.get(category) ?? k);
			cellOf[i] = cell;
			counts[cell]!++;
			if (cell === k) notStatedWeight += r.weight;
		});
		const population = margin.categories.reduce((sum, c) => sum + c.population, 0);
		if (!(population > 0)) {
			refusals.push({ variable: margin.variable, category: '', reason: 'empty-margin' });
			continue;
		}
		margin.categories.forEach((c, i) => {
			if (c.population > 0 && counts[i] === 0)
				refusals.push({ variable: margin.variable, category: c.category, reason: 'no-sample' });
			if (c.population === 0 && counts[i]! > 0)
				refusals.push({ variable: margin.variable, category: c.category, reason: 'no-population' });
		});
		const targets = new Float64Array(k + 1);
		margin.categories.forEach((c, i) => {
			targets[i] = ((total - notStatedWeight) * c.population) / population;
		});
		targets[k] = notStatedWeight;
		fitted.push({
			variable: margin.variable,
			cellOf,
			targets,
			notStated: counts[k]!,
			notStatedShare: notStatedWeight / total
		});
	}
	return { fitted, refusals };
}

function cellSums(weights: Float64Array, margin: Fitted): Float64Array {
	const sums = new Float64Array(margin.targets.length);
	for (let i = 0; i < weights.length; i++) sums[margin.cellOf[i]!]! += weights[i]!;
	return sums;
}

/** The largest relative deviation from the targets over a margin's cells with a target. */
function deviation(weights: Float64Array, margin: Fitted): number {
	const sums = cellSums(weights, margin);
	let worst = 0;
	margin.targets.forEach((t, c) => {
		if (t > 0) worst = Math.max(worst, Math.abs(sums[c]! - t) / t);
	});
	return worst;
}

function adjust(weights: Float64Array, margin: Fitted): void {
	const sums = cellSums(weights, margin);
	const factors = margin.targets.map((t, c) => (sums[c]! > 0 ? t / sums[c]! : 1));
	for (let i = 0; i < weights.length; i++) weights[i]! *= factors[margin.cellOf[i]!]!;
}

export function rake(
	respondents: readonly RakingRespondent[],
	margins: readonly RakingMargin[],
	options: Partial<RakingOptions> = {}
): RakingResult {
	const o = { ...RAKING_DEFAULTS, ...options };
	const n = respondents.length;
	if (n === 0) return { ok: false, reason: 'no-respondents' };
	const total = respondents.reduce((sum, r) => sum + r.weight, 0);
	const { fitted, refusals } = prepare(respondents, margins, total);
	if (refusals.length) return { ok: false, reason: 'categories', refusals };

	const weights = Float64Array.from(respondents, (r) => r.weight);
	const mean = total / n;
	const low = o.lower * mean;
	const high = o.upper * mean;
	const trimmed = new Uint8Array(n);
	const met = () => fitted.every((m) => deviation(weights, m) <= o.tolerance);
	const outside = () => {
		let count = 0;
		for (const w of weights)
			if (w < low * (1 - o.tolerance) || w > high * (1 + o.tolerance)) count++;
		return count;
	};

	let iterations = 0;
	let trimRounds = 0;
	let converged = false;
	for (;;) {
		let fits = met();
		while (!fits && iterations < o.maxIterations) {
			for (const m of fitted) adjust(weights, m);
			iterations++;
			fits = met();
		}
		if (!fits) break;
		if (outside() === 0) {
			converged = true;
			break;
		}
		if (iterations >= o.maxIterations) break;
		for (let i = 0; i < n; i++) {
			const w = weights[i]!;
			if (w < low || w > high) {
				weights[i] = Math.min(high, Math.max(low, w));
				trimmed[i] = 1;
			}
		}
		trimRounds++;
	}

	const design = kishN(respondents.map((r) => r.weight));
	const final = kishN(weights);
	let min = Infinity;
	let max = 0;
	for (const w of weights) {
		min = Math.min(min, w / mean);
		max = Math.max(max, w / mean);
	}
	return {
		ok: true,
		weights: [...weights],
		report: {
			respondents: n,
			converged,
			iterations,
			trimRounds,
			trimmed: trimmed.reduce((sum, t) => sum + t, 0),
			outOfBounds: outside(),
			tolerance: o.tolerance,
			lower: o.lower,
			upper: o.upper,
			margins: fitted.map((m) => ({
				variable: m.variable,
				maxDeviation: deviation(weights, m),
				notStated: m.notStated,
				notStatedShare: m.notStatedShare
			})),
			effectiveN: { design, final, loss: design > 0 ? 1 - final / design : 0 },
			range: { min, max }
		}
	};
}
