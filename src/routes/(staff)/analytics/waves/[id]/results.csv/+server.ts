import { error } from '@sveltejs/kit';
import { csvDocument } from '$lib/analytics/csv';
import { resultsCsvRows } from '$lib/analytics/results-csv';
import { m } from '$lib/paraglide/messages';
import { audit } from '$lib/server/audit';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { analyticsReader } from '$lib/server/db/read';
import { filterLabel, waveResults } from '$lib/server/analytics/results';
import { analyticsWave } from '$lib/server/analytics/waves';
import { loaded } from '$lib/server/forms/step';
import { tr } from '$lib/surveys/localize';
import type { RequestHandler } from './$types';

/**
 * The wave's results as CSV, for the same filters as its page: the same rows in the same order,
 * the same rounding and the same suppression, plus each number's standard error. Audited.
 */
export const GET: RequestHandler = async (event) => {
	const user = requireArea(event, 'analytics');
	const { db: read } = await analyticsReader(event.cookies);
	const wave = await loaded(analyticsWave(read, user, event.params.id));
	if (wave.embargoed) error(403, { message: m.analytics_embargo() });
	const results = await waveResults(read, wave, event.url.searchParams);
	const rows = resultsCsvRows(results, {
		group: filterLabel(results.choices, results.filter) ?? tr(wave.title),
		row: (filter, fallback) => filterLabel(results.choices, filter) ?? fallback
	});
	await audit(await getDb(), {
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
