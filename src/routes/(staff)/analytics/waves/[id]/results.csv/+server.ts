import { error } from '@sveltejs/kit';
import { csvDocument, type CsvValue } from '$lib/analytics/csv';
import { hiddenNote } from '$lib/analytics/hidden';
import { m } from '$lib/paraglide/messages';
import { audit } from '$lib/server/audit';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { filterLabel, waveResults, type Shown } from '$lib/server/analytics/results';
import { analyticsWave } from '$lib/server/analytics/waves';
import { tr } from '$lib/surveys/localize';
import type { RequestHandler } from './$types';

/**
 * The wave's results as CSV, for the same filters as its page: the same numbers and the same
 * suppression. Audited.
 */
export const GET: RequestHandler = async (event) => {
	const user = requireArea(event, 'analytics');
	const db = await getDb();
	const wave = await analyticsWave(db, user, event.params.id);
	if (wave.embargoed) error(403, { message: m.analytics_embargo() });
	const results = await waveResults(db, wave, event.url.searchParams);
	const values = (shown: Shown): CsvValue[] =>
		shown.suppressed || !shown.result
			? ['', '', '', '', shown.suppressed ? hiddenNote(shown.reason, results.k) : '']
			: [
					shown.result.estimate,
					shown.result.low,
					shown.result.high,
					shown.result.n,
					shown.result.tooWide ? m.analytics_too_wide() : ''
				];
	const headline = results.measures[0] ? tr(results.measures[0].measure.title) : '';
	const group = filterLabel(results.choices, results.filter) ?? tr(wave.title);
	const rows: CsvValue[][] = [
		[
			m.analytics_table(),
			m.analytics_group(),
			m.analytics_measure(),
			m.analytics_estimate(),
			m.analytics_ci_low(),
			m.analytics_ci_high(),
			m.analytics_n(),
			m.analytics_note()
		],
		...results.measures.map((r) => [
			m.analytics_measures(),
			group,
			tr(r.measure.title),
			...values(r)
		]),
		...results.breakdowns.flatMap((table) =>
			table.rows.map((r) => [
				table.title ? tr(table.title) : m.analytics_unit(),
				filterLabel(results.choices, r.filter) ?? tr(r.label),
				headline,
				...values(r)
			])
		)
	];
	await audit(db, {
		actorId: user.id,
		action: 'analytics.export',
		entityType: 'survey_wave',
		entityId: wave.id,
		details: { format: 'csv', kind: 'aggregates', filter: results.filter }
	});
	return new Response(csvDocument(rows), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="results-${wave.slug}.csv"`,
			'cache-control': 'private, no-store'
		}
	});
};
