import type { HiddenReason } from '$lib/analytics/cells';
import { sameNumber } from '$lib/analytics/equivalent';
import type { Estimate } from '$lib/analytics/estimates';
import type { Text } from '$lib/surveys/spec';
import type { Db } from '../db';
import { waveResults } from '../analytics/results';
import { changeBetween, type Change } from '../analytics/trends';
import { resultWaves } from '../analytics/waves';

export type MeasureRow = {
	code: string;
	/** "2" for dimension 2, "2.2" for its second sub-dimension, as the plans number them */
	number: string;
	level: 'subindex' | 'section' | 'part';
	title: Text;
	range: number;
	latest: Estimate | null;
	suppressed: boolean;
	/** why it is hidden: too few respondents, or a part without answers or hidden */
	reason: HiddenReason | null;
	change: Change | null;
	target: number | null;
	weak: boolean;
};

/**
 * The plan's instrument as the latest wave scored it, in the wave page's order (each dimension
 * followed by its own sub-dimensions, numbered as the plans number them): each with its
 * estimate and interval, the change from the wave before (and whether it is significant), the
 * target, and whether it is weak: below the plan's share of its scale, or significantly worse.
 * The estimates are the analytics' own, small cells suppressed and composites with a part
 * without answers hidden, as everywhere.
 */
export async function planScores(
	db: Db,
	plan: { instrument_id: number; weak_below: number }
): Promise<{
	wave: { title: Text; year: number } | null;
	previous: { title: Text } | null;
	rows: MeasureRow[];
}> {
	const waves = await resultWaves(db, plan.instrument_id);
	const latest = waves[waves.length - 1];
	const before = waves[waves.length - 2];
	if (!latest) return { wave: null, previous: null, rows: [] };
	const [now, then, targets] = await Promise.all([
		waveResults(db, latest),
		before ? waveResults(db, before) : undefined,
		db
			.selectFrom('measure_target')
			.select(['measure', 'value'])
			.where('instrument_id', '=', plan.instrument_id)
			.execute()
	]);
	const rows: MeasureRow[] = now.measures
		.filter((m) => ['subindex', 'section', 'part'].includes(m.measure.level))
		.map((m) => {
			// the wave before may be on another version, where the same number has another code
			const previous = (
				then?.measures.find(
					(x) => x.measure.code === m.measure.code && sameNumber(x.measure, m.measure)
				) ??
				then?.measures.find((x) => sameNumber(x.measure, m.measure)) ??
				then?.measures.find((x) => x.measure.code === m.measure.code)
			)?.result;
			const change = m.result && previous ? changeBetween(previous, m.result) : null;
			const low = m.result !== undefined && m.result.estimate < plan.weak_below * m.measure.range;
			return {
				code: m.measure.code,
				number: m.number,
				level: m.measure.level as MeasureRow['level'],
				title: m.measure.title,
				range: m.measure.range,
				latest: m.result ?? null,
				suppressed: m.suppressed,
				reason: m.reason,
				change,
				target: targets.find((t) => t.measure === m.measure.code)?.value ?? null,
				weak: low || (change !== null && change.significant && change.value < 0)
			};
		});
	return {
		wave: { title: latest.title, year: latest.year },
		previous: before ? { title: before.title } : null,
		rows
	};
}
