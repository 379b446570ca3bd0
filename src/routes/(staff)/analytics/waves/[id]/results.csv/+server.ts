import { error } from '@sveltejs/kit';
import { resultsExport } from '$lib/analytics/results-csv';
import { m } from '$lib/paraglide/messages';
import { audit } from '$lib/server/audit';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { analyticsReader } from '$lib/server/db/read';
import { filterLabel, waveResults } from '$lib/server/analytics/results';
import { analyticsWave } from '$lib/server/analytics/waves';
import { exportResponse, formatParam } from '$lib/server/exports/response';
import { loaded } from '$lib/server/forms/step';
import { tr } from '$lib/surveys/localize';
import type { RequestHandler } from './$types';

/**
 * The wave's results as CSV or, with `?format=xlsx`, as an Excel workbook, for the same
 * filters as its page: the same rows in the same order, the same rounding and the same
 * suppression, plus each number's standard error. Audited.
 */
export const GET: RequestHandler = async (event) => {
	const user = requireArea(event, 'analytics');
	const format = formatParam(event.url);
	const { db: read } = await analyticsReader(event.cookies);
	const wave = await loaded(analyticsWave(read, user, event.params.id));
	if (wave.embargoed) error(403, { message: m.analytics_embargo() });
	const results = await waveResults(read, wave, event.url.searchParams);
	const table = resultsExport(results, {
		group: filterLabel(results.choices, results.filter) ?? tr(wave.title),
		row: (filter, fallback) => filterLabel(results.choices, filter) ?? fallback
	});
	await audit(await getDb(), {
		actorId: user.id,
		action: 'analytics.export',
		entityType: 'survey_wave',
		entityId: wave.id,
		details: { format, kind: 'aggregates', filter: results.filter }
	});
	return exportResponse(table, {
		format,
		name: `results-${wave.slug}`,
		sheet: m.analytics_sheet_results()
	});
};
