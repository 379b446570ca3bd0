import { bandQuestions, estimateFromSums, type Sums } from '$lib/analytics/cells';
import type { Estimate } from '$lib/analytics/estimates';
import { measuresOf, type Measure } from '$lib/analytics/scoring';
import { DEFAULT_K, suppress } from '$lib/analytics/suppression';
import { findQuestion } from '$lib/surveys/edit';
import type { Text } from '$lib/surveys/spec';
import type { Db } from '../db';
import { specOfVersion } from '../surveys/instruments';

/**
 * A wave's results as an analyst sees them, read from analytics_cell (never from raw answers),
 * with small groups suppressed: the wave's measures, and its headline measure by commune and by
 * each demographic band.
 */
export type Shown = { result: Estimate | undefined; suppressed: boolean };
export type Breakdown = {
	/** the band question's wording; null for communes */
	title: Text | null;
	rows: (Shown & { key: string; label: Text })[];
};
export type WaveResults = {
	k: number;
	respondents: number;
	measures: (Shown & { measure: Measure })[];
	byUnit: Breakdown;
	byBand: Breakdown[];
};

type Groups = Map<string, Map<string, Sums>>;

/**
 * The headline measure in each group of one grouping. The wave is the union of the groups and of
 * the respondents in none (no commune named, no band answered), so the groups, that remainder
 * and the wave are suppressed together.
 */
function breakdown(
	groups: Groups,
	waveSize: number,
	headline: Measure | undefined,
	label: (key: string) => Text,
	k: number
): Breakdown['rows'] {
	const sizeOf = (key: string) => (headline && groups.get(key)?.get(headline.code)?.n) ?? 0;
	const keys = [...groups.keys()];
	const counts = new Map<string, number>([['\u0000wave', waveSize]]);
	for (const key of keys) counts.set(key, sizeOf(key));
	const named = keys.reduce((sum, key) => sum + counts.get(key)!, 0);
	counts.set('\u0000none', Math.max(0, waveSize - named));
	const hidden = suppress(
		counts,
		[{ parent: '\u0000wave', children: [...counts.keys()].slice(1) }],
		k
	);
	return keys.map((key) => ({
		key,
		label: label(key),
		result: headline && estimateFromSums(headline, groups.get(key)!),
		suppressed: hidden.has(key) || hidden.has('\u0000wave')
	}));
}

export async function waveResults(
	db: Db,
	wave: { id: number; versionId: number },
	k = DEFAULT_K
): Promise<WaveResults> {
	const spec = await specOfVersion(db, wave.versionId);
	const measures = measuresOf(spec);
	const headline = measures[0];
	const rows = await db
		.selectFrom('analytics_cell')
		.selectAll()
		.where('wave_id', '=', wave.id)
		.where((eb) => eb.or([eb('grouping', 'in', ['', 'unit']), eb('grouping', 'like', 'band:%')]))
		.execute();
	const byGrouping = new Map<string, Groups>();
	for (const r of rows) {
		let groups = byGrouping.get(r.grouping);
		if (!groups) byGrouping.set(r.grouping, (groups = new Map()));
		let sums = groups.get(r.cell);
		if (!sums) groups.set(r.cell, (sums = new Map()));
		sums.set(r.measure, r);
	}
	const waveSums = byGrouping.get('')?.get('') ?? new Map<string, Sums>();
	const waveSize = (headline && waveSums.get(headline.code)?.n) ?? 0;
	const hidden = waveSize > 0 && waveSize < k;

	const unitGroups = byGrouping.get('unit') ?? new Map();
	const names = new Map(
		(unitGroups.size
			? await db
					.selectFrom('admin_unit')
					.select(['id', 'name'])
					.where('id', 'in', [...unitGroups.keys()].map(Number))
					.execute()
			: []
		).map((u) => [String(u.id), { vi: u.name, en: u.name }])
	);
	const byUnit: Breakdown = {
		title: null,
		rows: breakdown(
			unitGroups,
			waveSize,
			headline,
			(key) => names.get(key) ?? { vi: key, en: key },
			k
		)
	};
	const byBand = bandQuestions(spec).flatMap((code): Breakdown[] => {
		const question = findQuestion(spec, code);
		const groups = byGrouping.get(`band:${code}`);
		if (!question || !('options' in question) || !groups) return [];
		const order = question.options.map((o) => o.code);
		const rows = breakdown(
			groups,
			waveSize,
			headline,
			(key) => question.options.find((o) => o.code === key)?.label ?? { vi: key, en: key },
			k
		).sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
		return [{ title: question.text, rows }];
	});
	return {
		k,
		respondents: waveSize,
		measures: measures
			.filter((m) => m.level !== 'indicator')
			.map((measure) => ({
				measure,
				result: estimateFromSums(measure, waveSums),
				suppressed: hidden
			})),
		byUnit: {
			...byUnit,
			rows: byUnit.rows.sort((a, b) => a.label.vi.localeCompare(b.label.vi, 'vi'))
		},
		byBand
	};
}
