import type { InstrumentSpec } from '$lib/surveys/spec';
import { bandsOf, groupsOf, type Group, type ResponseRow, type Sums } from './cells';
import { measuresOf, respondentsOf } from './scoring';

/**
 * Standard errors of every measure in every group, worked out once from the raw answers when a
 * snapshot is taken (pages then read only stored numbers). Pure.
 *
 * Each measure is D = Σ c_i ȳ_i, a fixed combination of item means ȳ_i = Σ w y_i / W_i over the
 * group's respondents who answered item i (W_i their total weight). Respondent r's linearized
 * value is z_r = Σ_i c_i w_r (y_ri − ȳ_i) / W_i over the items r answered (0 outside the group).
 * - Individual level (open-link samples): var(D) = n/(n−1) Σ_r z_r², n the respondents who
 *   answered at least one item of D. This is `estimate()` exactly.
 * - Designed samples (strata h, primary sampling units j): with z_hj = Σ_{r in PSU hj} z_r and
 *   m_h the PSUs of stratum h in the wave, var(D) = Σ_h m_h/(m_h−1) Σ_j (z_hj − z̄_h)², the
 *   with-replacement Taylor linearization; a PSU without respondents in the group counts with
 *   z_hj = 0 (domain estimation, as R's survey::subset does). A stratum with one PSU adds
 *   nothing (taken with certainty). A group that lies within one PSU (a commune, where the
 *   commune is the PSU) has no design-based variance: its respondents were sampled within that
 *   PSU, so the individual-level one is used (`design` is null).
 *   The design effect is var_design / var_individual.
 */

export type DesignUnit = { stratum: string; psu: string };
export type Spread = { individual: number; design: number | null };

/** The group and measure keys a snapshot stores variances under. */
type GroupKey = string;

type GroupState = {
	mean: Float64Array;
	weight: Float64Array;
	zz: Float64Array;
	/** z summed by PSU ("stratum\u001fpsu"), for designed samples */
	byPsu: Map<string, Float64Array> | null;
	psus: Set<string>;
};

/**
 * Collects every respondent of a wave (`add`), then gives each group's and measure's variances
 * (`result`). `sumsOf` gives a group's item sums (the snapshot's working sums, over exactly
 * these respondents): their means centre the linearized values.
 */
export function varianceCollector(
	spec: InstrumentSpec,
	sumsOf: (group: GroupKey) => ReadonlyMap<string, Sums> | undefined,
	groupKey: (g: Group) => GroupKey,
	designed: boolean
) {
	const measures = measuresOf(spec);
	const items = measures.filter((m) => m.level === 'indicator').map((m) => m.code);
	const itemIndex = new Map(items.map((code, i) => [code, i]));
	const terms = measures.map((m) => ({
		index: Int32Array.from(m.terms.map((t) => itemIndex.get(t.item)!)),
		coefficient: Float64Array.from(m.terms.map((t) => t.coefficient))
	}));
	const toRespondent = respondentsOf(spec);
	const bandsOfResponse = bandsOf(spec);
	const groups = new Map<GroupKey, GroupState>();
	const strata = new Map<string, Set<string>>();
	const u = new Float64Array(items.length);
	const answered = new Uint8Array(items.length);

	const stateOf = (key: GroupKey): GroupState => {
		let state = groups.get(key);
		if (state) return state;
		const sums = sumsOf(key);
		const mean = new Float64Array(items.length);
		const weight = new Float64Array(items.length);
		items.forEach((item, i) => {
			const s = sums?.get(item);
			weight[i] = s?.w ?? 0;
			mean[i] = s && s.w > 0 ? s.wy / s.w : 0;
		});
		state = {
			mean,
			weight,
			zz: new Float64Array(measures.length),
			byPsu: designed ? new Map() : null,
			psus: new Set()
		};
		groups.set(key, state);
		return state;
	};

	return {
		add(response: ResponseRow, design: DesignUnit) {
			const respondent = toRespondent(response);
			const w = response.weight;
			const psuKey = `${design.stratum}\u001f${design.psu}`;
			if (designed) {
				let psus = strata.get(design.stratum);
				if (!psus) strata.set(design.stratum, (psus = new Set()));
				psus.add(psuKey);
			}
			const bands = bandsOfResponse(response.answers);
			for (const group of groupsOf(response.unitId, bands, response.counterId ?? null)) {
				const state = stateOf(groupKey(group));
				answered.fill(0);
				for (const [item, y] of respondent.values) {
					const i = itemIndex.get(item);
					if (i === undefined || !(state.weight[i]! > 0)) continue;
					u[i] = (w * (y - state.mean[i]!)) / state.weight[i]!;
					answered[i] = 1;
				}
				let byPsu: Float64Array | undefined;
				if (state.byPsu) {
					state.psus.add(psuKey);
					byPsu = state.byPsu.get(psuKey);
					if (!byPsu) state.byPsu.set(psuKey, (byPsu = new Float64Array(measures.length)));
				}
				for (let m = 0; m < measures.length; m++) {
					const { index, coefficient } = terms[m]!;
					let z = 0;
					for (let t = 0; t < index.length; t++)
						if (answered[index[t]!]) z += coefficient[t]! * u[index[t]!]!;
					state.zz[m]! += z * z;
					if (byPsu) byPsu[m]! += z;
				}
			}
		},

		/** group -> measure -> variances, given each measure's n in the group */
		result(nOf: (group: GroupKey, measure: string) => number): Map<GroupKey, Map<string, Spread>> {
			const out = new Map<GroupKey, Map<string, Spread>>();
			for (const [key, state] of groups) {
				const byMeasure = new Map<string, Spread>();
				measures.forEach((measure, m) => {
					const n = nOf(key, measure.code);
					if (n === 0) return;
					const individual = n > 1 ? (n / (n - 1)) * state.zz[m]! : NaN;
					byMeasure.set(measure.code, {
						individual,
						design: state.byPsu && state.psus.size > 1 ? designVariance(state, m, strata) : null
					});
				});
				out.set(key, byMeasure);
			}
			return out;
		}
	};
}

function designVariance(
	state: GroupState,
	m: number,
	strata: ReadonlyMap<string, ReadonlySet<string>>
): number {
	let total = 0;
	for (const psus of strata.values()) {
		const count = psus.size;
		if (count < 2) continue;
		let sum = 0;
		let sumSquares = 0;
		for (const psu of psus) {
			const z = state.byPsu!.get(psu)?.[m] ?? 0;
			sum += z;
			sumSquares += z * z;
		}
		total += (count / (count - 1)) * (sumSquares - (sum * sum) / count);
	}
	return total;
}
