import { idParam as idParamOf } from '../http/params';
import { sql } from 'kysely';
import { RESPONDENTS } from '$lib/analytics/cells';
import type { Text } from '$lib/surveys/spec';
import type { SessionUser } from '../auth/session';
import type { Db } from '../db';
import type { WaveStatus } from '../db/schema';
import { unitsWithAncestry } from '../surveys/scope';
import { mayReadWave } from './permissions';
import { refuseAnalytics } from './refusals';

/**
 * Waves as analytics sees them. Once a wave's results are out, its response count is that of its
 * published snapshot (what the numbers cover), with the snapshot's time. While its results wait
 * for its close, the count is live: the respondent-count cell plus what is still queued, which
 * together are exact (a submission queues its response in the same statement, the aggregator
 * counts it in one transaction) and cost two index reads instead of counting a million rows.
 */
export type AnalyticsWave = {
	id: number;
	slug: string;
	title: Text;
	status: WaveStatus;
	resultsMode: 'after_close' | 'live';
	versionId: number;
	instrumentId: number;
	/** the year the wave's fieldwork belongs to (opening, else closing, else creation date) */
	year: number;
	target: number | null;
	/** the agency whose service the wave rates (a one-stop shop's SIPAS wave), if any */
	agency: Text | null;
	unitIds: number[];
	responses: number;
	/** when the published snapshot was taken, if there is one */
	snapshotAt: Date | null;
	/** a designed sample's results stay closed while its fieldwork goes on */
	embargoed: boolean;
	/** how its standard errors are worked out: over the sampling design (invitation codes) or not */
	variance: 'designed' | 'individual';
};

async function analyticsWaves(
	db: Db,
	where: { id?: number; instrumentId?: number } = {}
): Promise<AnalyticsWave[]> {
	const rows = await db
		.selectFrom('survey_wave as w')
		.innerJoin('instrument_version as v', 'v.id', 'w.instrument_version_id')
		.leftJoin('agency as a', 'a.id', 'w.agency_id')
		.select([
			'a.name_vi as agency_vi',
			'a.name_en as agency_en',
			'w.id',
			'w.slug',
			'w.title_vi',
			'w.title_en',
			'w.status',
			'w.results_mode',
			'w.access_mode',
			'w.instrument_version_id',
			'v.instrument_id',
			'w.target_responses',
			sql<number>`extract(year from coalesce(w.opens_on, w.closes_on, w.created_at::date))::int`.as(
				'year'
			),
			sql<number>`coalesce((select c.n from analytics_cell c where c.wave_id = w.id
				and c.grouping = '' and c.cell = '' and c.measure = ${RESPONDENTS}), 0)
				+ (select count(*) from analytics_queue q join survey_response r on r.id = q.response_id
				where r.wave_id = w.id and not q.aggregated)::int`.as('live'),
			sql<number | null>`(select s.responses from analytics_snapshot s where s.wave_id = w.id)`.as(
				'published'
			),
			sql<Date | null>`(select s.taken_at from analytics_snapshot s where s.wave_id = w.id)`.as(
				'snapshot_at'
			),
			sql<number[]>`array(select u.unit_id from survey_wave_unit u where u.wave_id = w.id)`.as(
				'unit_ids'
			)
		])
		.where('w.status', '!=', 'draft')
		.$if(where.id !== undefined, (q) => q.where('w.id', '=', where.id!))
		.$if(where.instrumentId !== undefined, (q) =>
			q.where('v.instrument_id', '=', where.instrumentId!)
		)
		.orderBy('w.id', 'desc')
		.execute();
	return rows.map((r) => {
		const embargoed = r.results_mode === 'after_close' && r.status !== 'closed';
		return {
			id: r.id,
			slug: r.slug,
			title: { vi: r.title_vi, en: r.title_en },
			status: r.status,
			resultsMode: r.results_mode,
			versionId: r.instrument_version_id,
			instrumentId: r.instrument_id,
			year: Number(r.year),
			target: r.target_responses,
			agency: r.agency_vi !== null ? { vi: r.agency_vi, en: r.agency_en ?? r.agency_vi } : null,
			unitIds: r.unit_ids.map(Number),
			responses: embargoed ? Number(r.live) : Number(r.published ?? 0),
			snapshotAt: embargoed || r.snapshot_at === null ? null : new Date(r.snapshot_at),
			embargoed,
			variance: r.access_mode === 'invitation' ? 'designed' : 'individual'
		};
	});
}

/** The waves whose every unit is within the analyst's scope. */
export async function visibleWaves(
	db: Db,
	user: SessionUser,
	where: { instrumentId?: number } = {}
): Promise<AnalyticsWave[]> {
	const waves = await analyticsWaves(db, where);
	const units = await unitsWithAncestry(
		db,
		waves.flatMap((w) => w.unitIds)
	);
	return waves.filter((w) => mayReadWave(user.grants, { ...units, ids: w.unitIds }));
}

/** The wave, if the analyst may read it (mayReadWave); else refused (404, 403). */
export async function analyticsWave(
	db: Db,
	user: SessionUser,
	idParam: string
): Promise<AnalyticsWave> {
	const [wave] = await analyticsWaves(db, { id: idParamOf(idParam) });
	if (!wave) throw refuseAnalytics('not_found');
	if (!mayReadWave(user.grants, await unitsWithAncestry(db, wave.unitIds)))
		throw refuseAnalytics('forbidden');
	return wave;
}

/** An instrument's waves whose results are out, oldest first (for plans' dashboards). */
export async function resultWaves(db: Db, instrumentId: number): Promise<AnalyticsWave[]> {
	return (await analyticsWaves(db, { instrumentId }))
		.filter((w) => !w.embargoed && w.responses > 0)
		.sort((a, b) => a.year - b.year || a.id - b.id);
}

/**
 * The waves whose results anyone may read: closed (so never embargoed), with a published
 * snapshot covering at least one response; newest first, or the one `id` names.
 */
export async function publishedWaves(db: Db, id?: number): Promise<AnalyticsWave[]> {
	return (await analyticsWaves(db, id === undefined ? {} : { id })).filter(
		(w) => w.status === 'closed' && !w.embargoed && w.snapshotAt !== null && w.responses > 0
	);
}
