import { Z95, type Estimate } from '$lib/analytics/estimates';
import { equivalentMeasure, sameNumber } from '$lib/analytics/equivalent';
import { groupOf, type Filter } from '$lib/analytics/filters';
import { isSummaryLevel } from '$lib/analytics/scoring';
import type { Text } from '$lib/surveys/spec';
import type { SessionUser } from '../auth/session';
import type { Db } from '../db';
import { groupRows, shown, waveContext, type Shown, type WaveContext } from './results';
import { visibleWaves, type AnalyticsWave } from './waves';

/**
 * The headline, sub-index and section measures of every wave of the same instrument (those whose
 * results may be seen), for the same filter, oldest first; each wave's change from the one before
 * with whether it is significant; the province's official published figures and the targets.
 *
 * A change is significant when |Δ| > 1.96 · √(SE₁² + SE₂²): the two waves are independent
 * samples, so their variances add.
 */
export type Change = { value: number; significant: boolean };
export type TrendRow = {
	code: string;
	title: Text;
	range: number;
	cells: (Shown & { change: Change | null })[];
	/** official published figure by year */
	official: Record<number, number>;
	target: number | null;
};
export type Trends = {
	waves: { id: number; title: Text; year: number; current: boolean }[];
	years: number[];
	rows: TrendRow[];
};

export function changeBetween(before: Estimate, after: Estimate): Change {
	const value = after.estimate - before.estimate;
	const se = Math.sqrt(before.se ** 2 + after.se ** 2);
	return { value, significant: Number.isFinite(se) && Math.abs(value) > Z95 * se };
}

export async function waveTrends(
	db: Db,
	user: SessionUser,
	wave: AnalyticsWave,
	filter: Filter,
	context?: WaveContext
): Promise<Trends> {
	const waves = (await visibleWaves(db, user, { instrumentId: wave.instrumentId }))
		.filter((w) => !w.embargoed && (w.responses > 0 || w.id === wave.id))
		.sort((a, b) => a.year - b.year || a.id - b.id);
	const current = context ?? (await waveContext(db, wave));
	const measures = current.measures.filter((m) => isSummaryLevel(m.level));
	const group = groupOf(filter);
	// each wave's own group sizes and hidden groups decide what of it is shown
	const columns: Shown[][] = await Promise.all(
		waves.map(async (w) => {
			const ctx = w.id === wave.id ? current : await waveContext(db, w);
			// the same number may have another code in another version (the five-element index of
			// a SIPAS version before the 2023–2026 method is the service sub-index after it)
			const own = measures.map((m) => {
				const same = ctx.measures.find((x) => x.code === m.code);
				return same && sameNumber(same, m) ? same : (equivalentMeasure(m, ctx.measures) ?? m);
			});
			if (ctx.hidden(group)) return own.map((m) => shown(ctx, group, m, new Map()));
			const rows = await groupRows(db, w.id, group);
			return own.map((m) => shown(ctx, group, m, rows));
		})
	);
	const official = await db
		.selectFrom('official_result')
		.select(['year', 'measure', 'value'])
		.where('instrument_id', '=', wave.instrumentId)
		.where('unit_id', 'in', wave.unitIds.length ? wave.unitIds : [0])
		.execute();
	const targets = new Map(
		(
			await db
				.selectFrom('measure_target')
				.select(['measure', 'value'])
				.where('instrument_id', '=', wave.instrumentId)
				.execute()
		).map((t) => [t.measure, t.value])
	);
	return {
		waves: waves.map((w) => ({
			id: w.id,
			title: w.title,
			year: w.year,
			current: w.id === wave.id
		})),
		years: [...new Set(official.map((o) => o.year))].sort(),
		rows: measures.map((m, i) => ({
			code: m.code,
			title: m.title,
			range: m.range,
			cells: columns.map((column, j) => {
				const before = j > 0 ? columns[j - 1]![i]!.result : undefined;
				const after = column[i]!.result;
				return {
					...column[i]!,
					change: before && after ? changeBetween(before, after) : null
				};
			}),
			official: Object.fromEntries(
				official.filter((o) => o.measure === m.code).map((o) => [o.year, o.value])
			),
			target: targets.get(m.code) ?? null
		}))
	};
}
