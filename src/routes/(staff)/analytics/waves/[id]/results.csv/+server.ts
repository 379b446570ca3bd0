import { error } from '@sveltejs/kit';
import { csvDocument, type CsvValue } from '$lib/analytics/csv';
import { m } from '$lib/paraglide/messages';
import { audit } from '$lib/server/audit';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { waveResults, type Shown } from '$lib/server/analytics/results';
import { managedWave } from '$lib/server/surveys/fieldwork';
import { tr } from '$lib/surveys/localize';
import type { RequestHandler } from './$types';

/** The wave's results as CSV: the same numbers and the same suppression as its page. Audited. */
export const GET: RequestHandler = async (event) => {
	const user = requireArea(event, 'analytics');
	const wave = await managedWave(user, event.params.id);
	if (wave.resultsMode === 'after_close' && wave.status !== 'closed')
		error(403, { message: m.analytics_embargo() });
	const db = await getDb();
	const results = await waveResults(db, wave);
	const values = (shown: Shown): CsvValue[] =>
		shown.suppressed || !shown.result
			? ['', '', '', '', shown.suppressed ? m.analytics_suppressed({ k: results.k }) : '']
			: [
					shown.result.estimate,
					shown.result.low,
					shown.result.high,
					shown.result.n,
					shown.result.tooWide ? m.analytics_too_wide() : ''
				];
	const headline = results.measures[0] ? tr(results.measures[0].measure.title) : '';
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
			tr(wave.title),
			tr(r.measure.title),
			...values(r)
		]),
		...[results.byUnit, ...results.byBand].flatMap((table) =>
			table.rows.map((r) => [
				table.title ? tr(table.title) : m.analytics_unit(),
				tr(r.label),
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
		details: { format: 'csv', kind: 'aggregates' }
	});
	return new Response(csvDocument(rows), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="results-${wave.slug}.csv"`,
			'cache-control': 'private, no-store'
		}
	});
};
