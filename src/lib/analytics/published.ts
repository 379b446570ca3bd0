import type { HiddenReason, Shown } from './cells';
import { finish, type Estimate } from './estimates';
import type { Measure } from './scoring';
import type { AnalyticsResultTable } from '$lib/server/db/schema';

/**
 * A measure's estimate as a page shows it, from one group's published snapshot rows. Pure.
 *
 * The value is the combination of its items' weighted means (Σwy / Σw); n and Kish's effective
 * n come from the measure's own row; the standard error is the stored one (worked out from the
 * raw answers when the snapshot was taken): over the sampling design where the wave has one and
 * the group spans several PSUs, else individual-level. A share gets a Wilson interval on the
 * effective n, divided by the design effect under a design.
 */
export type ResultRow = Pick<
	AnalyticsResultTable,
	'measure' | 'n' | 'w' | 'wy' | 'w2' | 'se' | 'se_design' | 'hidden'
>;

export type MeasureRows = ReadonlyMap<string, ResultRow>;

const REASONS: readonly HiddenReason[] = ['small', 'step', 'incomplete', 'part-small'];
/** A stored reason as the type knows it (an unknown one reads as 'small'). */
export const reasonOf = (text: string): HiddenReason =>
	(REASONS as readonly string[]).includes(text) ? (text as HiddenReason) : 'small';

export function estimateFromRows(measure: Measure, rows: MeasureRows): Estimate | undefined {
	const own = rows.get(measure.code);
	if (!own || own.n === 0 || own.w === 0) return undefined;
	let value = 0;
	for (const t of measure.terms) {
		const item = rows.get(t.item);
		if (!item || !(item.w > 0)) return undefined;
		value += t.coefficient * (item.wy / item.w);
	}
	const individual = own.se ?? NaN;
	const deff =
		own.se_design !== null && individual > 0
			? (own.se_design * own.se_design) / individual ** 2
			: null;
	const share = measure.share && measure.terms.length === 1;
	const nEffective = (own.w * own.w) / own.w2;
	return {
		...finish({
			n: own.n,
			nEffective: share && deff ? nEffective / deff : nEffective,
			value,
			se: own.se_design ?? individual,
			share,
			range: measure.range
		}),
		nEffective,
		deff
	};
}

/** A measure in a group: its estimate, or why it is hidden (decided when the snapshot was taken). */
export function shownFromRows(measure: Measure, rows: MeasureRows): Shown {
	const own = rows.get(measure.code);
	if (!own || own.n === 0 || own.w === 0)
		return { result: undefined, suppressed: false, reason: null };
	if (own.hidden) return { result: undefined, suppressed: true, reason: reasonOf(own.hidden) };
	return { result: estimateFromRows(measure, rows), suppressed: false, reason: null };
}
