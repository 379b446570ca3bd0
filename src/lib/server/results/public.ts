import type { HiddenReason } from '$lib/analytics/cells';
import { shownInterval } from '$lib/analytics/format';
import { resultOrder } from '$lib/analytics/order';
import { isSummaryLevel } from '$lib/analytics/scoring';
import type { Text } from '$lib/surveys/spec';
import type { Db } from '../db';
import { idParam } from '../http/params';
import { referenceFigures } from '../analytics/reference';
import { refuseAnalytics } from '../analytics/refusals';
import { groupRows, shown, waveContext } from '../analytics/results';
import { publishedWaves, type AnalyticsWave } from '../analytics/waves';

/**
 * What citizens read of a survey's results: closed waves only, the whole wave only (no commune,
 * band or other group that could be subtracted from another), and only the summary measures (the
 * total, sub-indices, and each PAPI dimension or SIPAS element). Every figure is the analysts'
 * own, read from the wave's published snapshot through the same `shown()`: a number the analyst
 * view hides is hidden here for the same reason, and never leaves the server.
 */
export type PublicWave = {
	id: number;
	title: Text;
	agency: Text | null;
	year: number;
	opensOn: string | null;
	closesOn: string | null;
	/** the responses the published snapshot covers */
	responses: number;
};

export type PublicFigure = {
	code: string;
	/** "2" for dimension 2, empty for the total */
	number: string;
	level: 'total' | 'subindex' | 'section';
	title: Text;
	range: number;
	/** the estimate with its 95% interval (kept within the scale), or null when hidden or empty */
	value: { estimate: number; low: number | null; high: number | null; n: number } | null;
	/** why the value is not shown: hidden (with the analysts' reason), or nobody answered */
	hidden: HiddenReason | 'no_data' | null;
	/** the official published figure for `officialYear`, on the same scale */
	official: number | null;
};

export type PublicResults = {
	wave: PublicWave;
	k: number;
	/** respondents in the whole wave, or null when the wave as a whole is too small to show */
	respondents: number | null;
	/** the year of the official figures beside the estimates, if any are entered */
	officialYear: number | null;
	figures: PublicFigure[];
};

async function fieldwork(db: Db, waves: AnalyticsWave[]): Promise<PublicWave[]> {
	if (!waves.length) return [];
	const dates = await db
		.selectFrom('survey_wave')
		.select(['id', 'opens_on', 'closes_on'])
		.where(
			'id',
			'in',
			waves.map((w) => w.id)
		)
		.execute();
	const byId = new Map(dates.map((d) => [d.id, d]));
	return waves.map((w) => ({
		id: w.id,
		title: w.title,
		agency: w.agency,
		year: w.year,
		opensOn: byId.get(w.id)?.opens_on ?? null,
		closesOn: byId.get(w.id)?.closes_on ?? null,
		responses: w.responses
	}));
}

/** Every closed wave with published results, newest first. */
export async function publicResultWaves(db: Db): Promise<PublicWave[]> {
	return fieldwork(db, await publishedWaves(db));
}

/**
 * The official figures of the wave's one unit (a province's PAPI, a commune's SIPAS) for the
 * wave's year, or else the latest year before it: by measure code.
 */
async function officialFigures(db: Db, wave: AnalyticsWave) {
	if (wave.unitIds.length !== 1) return { year: null, values: new Map<string, number>() };
	const { official } = await referenceFigures(db, wave.unitIds[0]!);
	const own = official.filter((o) => o.instrument_id === wave.instrumentId && o.year <= wave.year);
	const year = own.length ? Math.max(...own.map((o) => o.year)) : null;
	return {
		year,
		values: new Map(own.filter((o) => o.year === year).map((o) => [o.measure, o.value]))
	};
}

/** A closed wave's public results; refused (404) for a wave that is unknown, open or unpublished. */
export async function publicResults(db: Db, id: string): Promise<PublicResults> {
	const [found] = await publishedWaves(db, idParam(id));
	if (!found) throw refuseAnalytics('not_found');
	const whole = { grouping: '', cell: '' };
	const [[wave], ctx, official] = await Promise.all([
		fieldwork(db, [found]),
		waveContext(db, found),
		officialFigures(db, found)
	]);
	const hidden = ctx.hidden(whole);
	const rows = hidden ? new Map() : await groupRows(db, found.id, whole);
	const figures = resultOrder(ctx.spec, ctx.measures)
		.filter((r) => isSummaryLevel(r.measure.level))
		.map(({ measure, number }): PublicFigure => {
			const s = shown(ctx, whole, measure, rows);
			const interval = s.result ? shownInterval(s.result, measure.range) : null;
			return {
				code: measure.code,
				number,
				level: measure.level as PublicFigure['level'],
				title: measure.title,
				range: measure.range,
				value: s.result
					? {
							estimate: s.result.estimate,
							low: interval?.[0] ?? null,
							high: interval?.[1] ?? null,
							n: s.result.n
						}
					: null,
				hidden: s.suppressed ? (s.reason ?? 'small') : s.result ? null : 'no_data',
				official: official.values.get(measure.code) ?? null
			};
		});
	return {
		wave: wave!,
		k: ctx.k,
		respondents: hidden ? null : ctx.size(whole),
		officialYear: official.values.size ? official.year : null,
		figures
	};
}
