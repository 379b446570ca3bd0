import { estimateFromSums, type Sums } from '$lib/analytics/cells';
import type { Estimate } from '$lib/analytics/estimates';
import { measuresOf, type Measure } from '$lib/analytics/scoring';
import { DEFAULT_K, suppress } from '$lib/analytics/suppression';
import type { Db } from '../db';
import { specOfVersion } from '../surveys/instruments';

/**
 * A wave's results as an analyst sees them, read from analytics_cell (never from raw answers),
 * with small groups suppressed: the wave's measures and the total by commune.
 */
export type Shown = { result: Estimate | undefined; suppressed: boolean };
export type WaveResults = {
	k: number;
	respondents: number;
	measures: (Shown & { measure: Measure })[];
	byUnit: (Shown & { unitId: number; name: string })[];
};

/** A group's size: the respondents counted in the instrument's total (or first) measure. */
function sizeOf(sums: ReadonlyMap<string, Sums>, measure: Measure | undefined): number {
	return (measure && sums.get(measure.code)?.n) ?? 0;
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
		.where('grouping', 'in', ['', 'unit'])
		.execute();
	const groups = new Map<string, Map<string, Sums>>();
	for (const r of rows) {
		const key = r.grouping === '' ? 'wave' : r.cell;
		let sums = groups.get(key);
		if (!sums) groups.set(key, (sums = new Map()));
		sums.set(r.measure, r);
	}
	const waveSums = groups.get('wave') ?? new Map<string, Sums>();
	const unitIds = [...groups.keys()].filter((key) => key !== 'wave');
	const names = new Map(
		(unitIds.length
			? await db
					.selectFrom('admin_unit')
					.select(['id', 'name'])
					.where('id', 'in', unitIds.map(Number))
					.execute()
			: []
		).map((u) => [String(u.id), u.name])
	);

	// the wave is its communes plus the respondents who named none
	const counts = new Map<string, number>([['wave', sizeOf(waveSums, headline)]]);
	for (const id of unitIds) counts.set(id, sizeOf(groups.get(id)!, headline));
	const named = unitIds.reduce((sum, id) => sum + counts.get(id)!, 0);
	counts.set('none', Math.max(0, counts.get('wave')! - named));
	const hidden = suppress(counts, [{ parent: 'wave', children: [...unitIds, 'none'] }], k);

	return {
		k,
		respondents: counts.get('wave')!,
		measures: measures
			.filter((m) => m.level !== 'indicator')
			.map((measure) => ({
				measure,
				result: estimateFromSums(measure, waveSums),
				suppressed: hidden.has('wave')
			})),
		byUnit: unitIds
			.map((id) => ({
				unitId: Number(id),
				name: names.get(id) ?? id,
				result: headline && estimateFromSums(headline, groups.get(id)!),
				suppressed: hidden.has(id)
			}))
			.sort((a, b) => a.name.localeCompare(b.name, 'vi'))
	};
}
