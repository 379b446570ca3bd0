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

/**
 * Respondents alike in all the raking sees (design weight, cell of every margin) end with the
 * same weight, so the IPF works on such groups (a few thousand at most, however many responses)
 * and each group's weight is that of each of its members.
 */
type Groups = {
	/** respondent -> group */
	of: Int32Array;
	size: Float64Array;
	weight: Float64Array;
	/** margins with group -> cell */
	fitted: Fitted[];
};

function group(respondents: readonly RakingRespondent[], fitted: readonly Fitted[]): Groups {
	const index = new Map<string, number>();
	const of = new Int32Array(respondents.length);
	const first: number[] = [];
	respondents.forEach((r, i) => {
		const key = `${r.weight}|${fitted.map((m) => m.cellOf[i]).join(',')}`;
		let g = index.get(key);
		if (g === undefined) {
			index.set(key, (g = first.length));
			first.push(i);
		}
		of[i] = g;
	});
	const size = new Float64Array(first.length);
	for (const g of of) size[g]!++;
	return {
		of,
		size,
		weight: Float64Array.from(first, (i) => respondents[i]!.weight),
		fitted: fitted.map((m) => ({ ...m, cellOf: Int32Array.from(first, (i) => m.cellOf[i]!) }))
	};
}

function cellSums(groups: Groups, margin: Fitted): Float64Array {
	const sums = new Float64Array(margin.targets.length);
	const { size, weight } = groups;
	for (let g = 0; g < weight.length; g++) sums[margin.cellOf[g]!]! += size[g]! * weight[g]!;
	return sums;
}

/** The largest relative deviation from the targets over a margin's cells with a target. */
function deviation(groups: Groups, margin: Fitted): number {
	const sums = cellSums(groups, margin);
	let worst = 0;
	margin.targets.forEach((t, c) => {
		if (t > 0) worst = Math.max(worst, Math.abs(sums[c]! - t) / t);
	});
	return worst;
}

function adjust(groups: Groups, margin: Fitted): void {
	const sums = cellSums(groups, margin);
	const factors = margin.targets.map((t, c) => (sums[c]! > 0 ? t / sums[c]! : 1));
	const { weight } = groups;
	for (let g = 0; g < weight.length; g++) weight[g]! *= factors[margin.cellOf[g]!]!;
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
	const prepared = prepare(respondents, margins, total);
	if (prepared.refusals.length)
		return { ok: false, reason: 'categories', refusals: prepared.refusals };

	const groups = group(respondents, prepared.fitted);
	const { fitted, size, weight } = groups;
	const mean = total / n;
	const low = o.lower * mean;
	const high = o.upper * mean;
	const trimmed = new Uint8Array(weight.length);
	const met = () => fitted.every((m) => deviation(groups, m) <= o.tolerance);
	/** respondents whose weight is outside the bounds (beyond the tolerance) */
	const outside = () => {
		let count = 0;
		weight.forEach((w, g) => {
			if (w < low * (1 - o.tolerance) || w > high * (1 + o.tolerance)) count += size[g]!;
		});
		return count;
	};

	let iterations = 0;
	let trimRounds = 0;
	let converged = false;
	for (;;) {
		let fits = met();
		while (!fits && iterations < o.maxIterations) {
			for (const m of fitted) adjust(groups, m);
			iterations++;
			fits = met();
		}
		if (!fits) break;
		if (outside() === 0) {
			converged = true;
			break;
		}
		if (iterations >= o.maxIterations) break;
		weight.forEach((w, g) => {
			if (w < low || w > high) {
				weight[g] = Math.min(high, Math.max(low, w));
				trimmed[g] = 1;
			}
		});
		trimRounds++;
	}

	const weights = Array.from(groups.of, (g) => weight[g]!);
	const design = kishN(respondents.map((r) => r.weight));
	const final = kishN(weights);
	return {
		ok: true,
		weights,
		report: {
			respondents: n,
			converged,
			iterations,
			trimRounds,
			trimmed: trimmed.reduce((sum, t, g) => sum + t * size[g]!, 0),
			outOfBounds: outside(),
			tolerance: o.tolerance,
			lower: o.lower,
			upper: o.upper,
			margins: fitted.map((m) => ({
				variable: m.variable,
				maxDeviation: deviation(groups, m),
				notStated: m.notStated,
				notStatedShare: m.notStatedShare
			})),
			effectiveN: { design, final, loss: design > 0 ? 1 - final / design : 0 },
			range: {
				min: weight.reduce((a, b) => Math.min(a, b), Infinity) / mean,
				max: weight.reduce((a, b) => Math.max(a, b), 0) / mean
			}
		}
	};
}
