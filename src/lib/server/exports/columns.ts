import { csvDocument, csvLine, CSV_BOM, type CsvValue } from '$lib/analytics/csv';

/**
 * An export described once, column by column, and written as CSV or as an Excel workbook. Pure.
 *
 * Each column has a header, a way to read its value from a row and a format: text, a whole
 * number, a number with a given number of decimals (or as it is, for figures the app did not
 * compute), a share shown as a percentage, or a date. A format may depend on the row (a results
 * table mixes shares and scores in one column). Numbers are rounded here, to the precision the
 * page shows, with the same formatter the page uses, so no half-way case rounds differently, and
 * both files carry the same number: the CSV as plain digits with a "." decimal mark (a share in
 * percent, 87.3 for "87,3 %"), the workbook as a number cell with a display format of that
 * precision (a share as the fraction 0.873 shown "87.3%"), which Excel shows in its own locale.
 * Texts stay texts: a CSV neutralises what a spreadsheet would run (see `$lib/analytics/csv`), a
 * workbook stores them as strings, which Excel never evaluates.
 */
export type Format =
	| { type: 'text' }
	| { type: 'integer' }
	/** `digits` absent: the number as it is, in Excel's General format */
	| { type: 'number'; digits?: number }
	/** the value is a fraction (0.873); `digits` are those of the percentage (87.3 %) */
	| { type: 'percent'; digits: number }
	/** a calendar day: a `Date` (its UTC day) or "YYYY-MM-DD" */
	| { type: 'date' };

export type Value = string | number | Date | null | undefined;

export type Column<R> = {
	header: string;
	format: Format | ((row: R) => Format);
	value: (row: R) => Value;
	/** width in the workbook, in characters */
	width?: number;
};

export type ExportTable<R> = { columns: readonly Column<R>[]; rows: readonly R[] };

/** A cell once typed and rounded: what both writers write. */
export type Cell =
	| { type: 'text'; value: string }
	/** `numFmt`: Excel's number format code; `csv`: the value as the CSV writes it */
	| { type: 'number'; value: number; numFmt: string | null; csv: number }
	| { type: 'date'; value: Date; csv: string }
	| null;

export const TEXT: Format = { type: 'text' };
export const INTEGER: Format = { type: 'integer' };
export const DATE: Format = { type: 'date' };

export const text = <R>(header: string, value: (row: R) => Value, width?: number): Column<R> => ({
	header,
	format: TEXT,
	value,
	width
});

const plain = (digits: number, style?: 'percent') =>
	new Intl.NumberFormat('en-US', {
		style,
		maximumFractionDigits: digits,
		useGrouping: false
	});

/** `value` rounded to `digits` decimals as Intl rounds it for the page. */
export function rounded(value: number, digits: number): number {
	return Number(plain(digits).format(value));
}

/** A fraction rounded as its percentage is shown: 0.87349 with one digit is 87.3 (per cent). */
export function roundedPercent(value: number, digits: number): number {
	return Number(plain(digits, 'percent').format(value).replace('%', ''));
}

const decimals = (digits: number) => (digits > 0 ? `.${'0'.repeat(digits)}` : '');

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayOf(value: Value): Date | null {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
	const match = typeof value === 'string' ? DAY.exec(value) : null;
	if (!match) return null;
	const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
	return Number.isNaN(day.getTime()) ? null : day;
}

/** The cell of one column in one row. A value that does not fit its format is written as text. */
export function cellOf<R>(column: Column<R>, row: R): Cell {
	const value = column.value(row);
	if (value === null || value === undefined || value === '') return null;
	const format = typeof column.format === 'function' ? column.format(row) : column.format;
	if (format.type === 'date') {
		const day = dayOf(value);
		if (day) return { type: 'date', value: day, csv: day.toISOString().slice(0, 10) };
	} else if (format.type !== 'text' && typeof value === 'number') {
		if (!Number.isFinite(value)) return null;
		switch (format.type) {
			case 'integer': {
				const n = rounded(value, 0);
				return { type: 'number', value: n, numFmt: '#,##0', csv: n };
			}
			case 'number': {
				if (format.digits === undefined) return { type: 'number', value, numFmt: null, csv: value };
				const n = rounded(value, format.digits);
				return { type: 'number', value: n, numFmt: `#,##0${decimals(format.digits)}`, csv: n };
			}
			case 'percent': {
				const percent = roundedPercent(value, format.digits);
				return {
					type: 'number',
					// the fraction the rounded percentage is, without binary noise (0.873, not 0.87300…01)
					value: Number((percent / 100).toFixed(format.digits + 2)),
					numFmt: `0${decimals(format.digits)}%`,
					csv: percent
				};
			}
		}
	}
	return { type: 'text', value: value instanceof Date ? value.toISOString() : String(value) };
}

export const csvValue = (cell: Cell): CsvValue =>
	cell === null ? '' : cell.type === 'text' ? cell.value : cell.csv;

export const csvRow = <R>(columns: readonly Column<R>[], row: R): CsvValue[] =>
	columns.map((c) => csvValue(cellOf(c, row)));

export const headers = <R>(columns: readonly Column<R>[]): string[] => columns.map((c) => c.header);

/** The whole table as CSV text (a byte-order mark, a header line, CRLF line ends). */
export function csvText<R>(table: ExportTable<R>): string {
	return csvDocument([headers(table.columns), ...table.rows.map((r) => csvRow(table.columns, r))]);
}

/** The table as CSV bytes, page by page as the rows arrive, so that a large export never sits in memory. */
export function csvStream<R>(
	columns: readonly Column<R>[],
	pages: AsyncIterator<readonly R[]>
): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	let started = false;
	return new ReadableStream({
		async pull(controller) {
			if (!started) {
				started = true;
				controller.enqueue(encoder.encode(CSV_BOM + csvLine(headers(columns))));
				return;
			}
			const next = await pages.next();
			if (next.done) {
				controller.close();
				return;
			}
			controller.enqueue(
				encoder.encode(next.value.map((r) => csvLine(csvRow(columns, r))).join(''))
			);
		},
		async cancel() {
			await pages.return?.();
		}
	});
}
