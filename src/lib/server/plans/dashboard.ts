import type { HiddenReason } from '$lib/analytics/cells';
import { sameNumber } from '$lib/analytics/equivalent';
import type { Estimate } from '$lib/analytics/estimates';
import type { Text } from '$lib/surveys/spec';
import type { Db } from '../db';
import { groupOf } from '$lib/analytics/filters';
import { groupRows, shown, waveContext, waveResults, type WaveContext } from '../analytics/results';
import { changeBetween, type Change } from '../analytics/trends';
import { resultWaves, type AnalyticsWave } from '../analytics/waves';

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

export type PlanWave = { id: number; title: Text; year: number; responses: number };

const WHOLE_WAVE = groupOf({ unit: null, band: null });

/**
 * Whether a wave's results can be published: over the whole wave it has enough respondents under
 * the analytics' own rules. A wave with three responses has results, but every score of it reads
 * "hidden"; a wave where one part went unanswered hides that part's composites (and so its
 * headline) but shows the rest, so it still counts.
 */
async function publishable(db: Db, wave: AnalyticsWave): Promise<WaveContext | null> {
	const ctx = await waveContext(db, wave);
	if (!ctx.headline || ctx.hidden(WHOLE_WAVE)) return null;
	const rows = await groupRows(db, wave.id, WHOLE_WAVE);
	const headline = shown(ctx, WHOLE_WAVE, ctx.headline, rows);
	const tooFew = headline.reason === 'small' || headline.reason === 'step';
	return headline.result !== undefined || !tooFew ? ctx : null;
}

/**
 * The instrument's waves with publishable results, oldest first (the ones a plan can cite), each
 * with its analytics context.
 */
async function scoredWaves(db: Db, instrumentId: number) {
	const waves = await resultWaves(db, instrumentId);
	const contexts = await Promise.all(waves.map((w) => publishable(db, w)));
	return waves.flatMap((wave, i) => (contexts[i] ? [{ wave, ctx: contexts[i] }] : []));
}

/** The instrument's waves with publishable results, oldest first. */
export async function publishableWaves(db: Db, instrumentId: number): Promise<AnalyticsWave[]> {
	return (await scoredWaves(db, instrumentId)).map((s) => s.wave);
}

/**
 * The plan's instrument as a wave scored it (the one asked for by id, if it has publishable
 * results, else the latest that has), in the wave page's order (each dimension followed by its
 * own sub-dimensions, numbered as the plans number them): each with its estimate and interval,
 * the change from the publishable wave before (and whether it is significant), the target, and
 * whether it is weak: below the plan's share of its scale, or significantly worse. The estimates
 * are the analytics' own, small cells suppressed and composites with a part without answers
 * hidden, as everywhere. `waves` lists the waves that can be chosen, newest first.
 */
export async function planScores(
	db: Db,
	plan: { instrument_id: number; weak_below: number },
	asked: number | null = null
): Promise<{
	waves: PlanWave[];
	wave: PlanWave | null;
	previous: { title: Text } | null;
	rows: MeasureRow[];
}> {
	const scored = await scoredWaves(db, plan.instrument_id);
	const at = scored.findIndex((s) => s.wave.id === asked);
	const index = at >= 0 ? at : scored.length - 1;
	const latest = scored[index]?.wave;
	const before = scored[index - 1];
	const choices = scored
		.map(({ wave: w }) => ({ id: w.id, title: w.title, year: w.year, responses: w.responses }))
		.reverse();
	if (!latest) return { waves: choices, wave: null, previous: null, rows: [] };
	const [now, then, targets] = await Promise.all([
		waveResults(db, latest, undefined, scored[index]!.ctx),
		before ? waveResults(db, before.wave, undefined, before.ctx) : undefined,
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
		waves: choices,
		wave: { id: latest.id, title: latest.title, year: latest.year, responses: latest.responses },
		previous: before ? { title: before.wave.title } : null,
		rows
	};
}
