import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { Breakdown, Shown, WaveResults } from '$lib/server/analytics/results';
import { tr } from '$lib/surveys/localize';
import type { CsvValue } from './csv';
import type { Filter } from './filters';
import { hiddenNote } from './hidden';
import { shownInterval, shownNumber, shownSe } from './format';

/**
 * The rows of a wave's results CSV: the page's tables, row for row. Pure.
 *
 * The measures come in the page's order (the total, then each dimension followed by its own
 * sub-dimensions, numbered as the plans number them), then the headline by commune and by band.
 * Every row carries the measure's number and name, its scale, the value and the 95% interval
 * rounded as the page shows them (a share in percent), the standard error in the same unit, and
 * the number of respondents. A hidden or empty cell leaves every number empty and says why in the
 * note.
 */
export function resultsCsvRows(
	results: Pick<WaveResults, 'k' | 'measures' | 'breakdowns'>,
	labels: { group: string; row: (filter: Filter, fallback: string) => string }
): CsvValue[][] {
	const locale = getLocale() === 'vi' ? 'vi-VN' : 'en-GB';
	const scale = (range: number) =>
		range === 1
			? m.analytics_scale_percent()
			: m.analytics_scale_points({
					max: new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(range)
				});
	const values = (shown: Shown, range: number): CsvValue[] => {
		if (shown.suppressed || !shown.result)
			return [
				'',
				'',
				'',
				'',
				'',
				shown.suppressed ? hiddenNote(shown.reason, results.k) : m.analytics_no_data()
			];
		const interval = shownInterval(shown.result, range);
		return [
			shownNumber(shown.result.estimate, range),
			interval ? shownNumber(interval[0], range) : '',
			interval ? shownNumber(interval[1], range) : '',
			shownSe(shown.result.se, range),
			shown.result.n,
			shown.result.tooWide ? m.analytics_too_wide() : ''
		];
	};
	const headline = results.measures[0];
	const breakdownRows = (table: Breakdown): CsvValue[][] =>
		headline
			? table.rows.map((r) => [
					table.title ? tr(table.title) : m.analytics_unit(),
					labels.row(r.filter, tr(r.label)),
					headline.number,
					tr(headline.measure.title),
					scale(headline.measure.range),
					...values(r, headline.measure.range)
				])
			: [];
	return [
		[
			m.analytics_table(),
			m.analytics_group(),
			m.analytics_number(),
			m.analytics_measure(),
			m.analytics_scale(),
			m.analytics_estimate(),
			m.analytics_ci_low(),
			m.analytics_ci_high(),
			m.analytics_se(),
			m.analytics_n(),
			m.analytics_note()
		],
		...results.measures.map((r) => [
			m.analytics_measures(),
			labels.group,
			r.number,
			tr(r.measure.title),
			scale(r.measure.range),
			...values(r, r.measure.range)
		]),
		...results.breakdowns.flatMap(breakdownRows)
	];
}
