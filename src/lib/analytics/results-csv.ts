import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { Breakdown, Shown, WaveResults } from '$lib/server/analytics/results';
import {
	csvRow,
	headers,
	INTEGER,
	text,
	type Column,
	type ExportTable,
	type Format
} from '$lib/server/exports/columns';
import { tr } from '$lib/surveys/localize';
import type { CsvValue } from './csv';
import type { Filter } from './filters';
import { hiddenNote } from './hidden';
import { shownInterval } from './format';

/**
 * The table of a wave's results export (CSV and Excel): the page's tables, row for row. Pure.
 *
 * The measures come in the page's order (the total, then each dimension followed by its own
 * sub-dimensions, numbered as the plans number them), then the headline by commune and by band.
 * Every row carries the measure's number and name, its scale, the value and the 95% interval
 * rounded as the page shows them (a share as a percentage with one decimal, a score with two),
 * the standard error in the same unit with one decimal more, and the number of respondents. A
 * hidden or empty cell leaves every number empty and says why in the note.
 */
export type ResultLine = {
	table: string;
	group: string;
	number: string;
	measure: string;
	range: number;
	shown: Shown;
};

/** A share is shown as a percentage with one decimal, a score with two (as `formatValue`). */
const valueFormat = (l: ResultLine): Format =>
	l.range === 1 ? { type: 'percent', digits: 1 } : { type: 'number', digits: 2 };
/** A standard error with one decimal more than its value (as `shownSe`). */
const seFormat = (l: ResultLine): Format =>
	l.range === 1 ? { type: 'percent', digits: 2 } : { type: 'number', digits: 3 };

const result = (l: ResultLine) => (l.shown.suppressed ? undefined : l.shown.result);
const interval = (l: ResultLine) => {
	const r = result(l);
	return r ? shownInterval(r, l.range) : null;
};

export function resultsExport(
	results: Pick<WaveResults, 'k' | 'measures' | 'breakdowns'>,
	labels: { group: string; row: (filter: Filter, fallback: string) => string }
): ExportTable<ResultLine> {
	const locale = getLocale() === 'vi' ? 'vi-VN' : 'en-GB';
	const scale = (range: number) =>
		range === 1
			? m.analytics_scale_percent()
			: m.analytics_scale_points({
					max: new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(range)
				});
	const columns: Column<ResultLine>[] = [
		text(m.analytics_table(), (l) => l.table, 16),
		text(m.analytics_group(), (l) => l.group, 24),
		text(m.analytics_number(), (l) => l.number, 6),
		text(m.analytics_measure(), (l) => l.measure, 50),
		text(m.analytics_scale(), (l) => scale(l.range), 18),
		{ header: m.analytics_estimate(), format: valueFormat, value: (l) => result(l)?.estimate },
		{ header: m.analytics_ci_low(), format: valueFormat, value: (l) => interval(l)?.[0] },
		{ header: m.analytics_ci_high(), format: valueFormat, value: (l) => interval(l)?.[1] },
		{ header: m.analytics_se(), format: seFormat, value: (l) => result(l)?.se },
		{ header: m.analytics_n(), format: INTEGER, value: (l) => result(l)?.n },
		text(m.analytics_note(), (l) => {
			const r = result(l);
			if (l.shown.suppressed) return hiddenNote(l.shown.reason, results.k);
			if (!r) return m.analytics_no_data();
			return r.tooWide ? m.analytics_too_wide() : '';
		})
	];
	const headline = results.measures[0];
	const breakdownRows = (table: Breakdown): ResultLine[] =>
		headline
			? table.rows.map((r) => ({
					table: table.title ? tr(table.title) : m.analytics_unit(),
					group: labels.row(r.filter, tr(r.label)),
					number: headline.number,
					measure: tr(headline.measure.title),
					range: headline.measure.range,
					shown: r
				}))
			: [];
	return {
		columns,
		rows: [
			...results.measures.map((r) => ({
				table: m.analytics_measures(),
				group: labels.group,
				number: r.number,
				measure: tr(r.measure.title),
				range: r.measure.range,
				shown: r
			})),
			...results.breakdowns.flatMap(breakdownRows)
		]
	};
}

/** The export's rows as CSV values, the header first. */
export function resultsCsvRows(
	results: Pick<WaveResults, 'k' | 'measures' | 'breakdowns'>,
	labels: { group: string; row: (filter: Filter, fallback: string) => string }
): CsvValue[][] {
	const table = resultsExport(results, labels);
	return [headers(table.columns), ...table.rows.map((r) => csvRow(table.columns, r))];
}
