import { parse } from 'csv-parse/sync';
import { csvText, TEXT, type ExportTable, type Format } from '$lib/server/exports/columns';

/**
 * Tabular disclosures: an uploaded CSV turned into a validated table. Pure.
 *
 * Numbers are read in Vietnamese (1.234.567,5), English (1,234,567.5) or plain (-12.5, 12,5)
 * notation. A text that reads both ways, one separator before exactly three digits ("1.500",
 * "1,500"), is settled by the other numbers of its column, else of the whole file, where a `;`
 * delimiter counts as Vietnamese (Excel uses it where the comma is the decimal mark); when
 * nothing settles it, it stays text. Texts with a leading zero (codes such as "00123") or more
 * than 15 digits (account numbers) stay text, since a number would change them.
 *
 * csv-parse needs Node's Buffer: call `parseTable` on the server only.
 */
export const TABLE_LIMITS = { maxRows: 5000, maxColumns: 50, maxCell: 1000 };

export type Cell = string | number | null;

export type DataTable = { columns: string[]; rows: Cell[][]; numeric: boolean[] };

const AS_PUBLISHED: Format = { type: 'number' };

export type TableProblem = {
	code:
		| 'encoding'
		| 'empty'
		| 'no_header'
		| 'ragged'
		| 'too_many_rows'
		| 'too_many_columns'
		| 'cell_too_long'
		| 'duplicate_header'
		| 'parse';
	line?: number;
};

type Notation = 'vi' | 'en';

type Reading =
	| { kind: 'text' }
	| { kind: 'number'; value: number; notation?: Notation }
	| { kind: 'ambiguous'; vi: number; en: number };

const VIETNAMESE = /^-?[1-9]\d{0,2}(\.\d{3})+(,\d+)?$/;
const ENGLISH = /^-?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$/;
const PLAIN = /^-?\d+([.,]\d+)?$/;
const AMBIGUOUS = /^-?[1-9]\d{0,2}[.,]\d{3}$/;
const LEADING_ZERO = /^-?0\d/;

function read(text: string): Reading {
	if (LEADING_ZERO.test(text) || text.replace(/\D/g, '').length > 15) return { kind: 'text' };
	if (AMBIGUOUS.test(text)) {
		const grouped = Number(text.replace(/[.,]/, ''));
		const decimal = Number(text.replace(',', '.'));
		return text.includes('.')
			? { kind: 'ambiguous', vi: grouped, en: decimal }
			: { kind: 'ambiguous', vi: decimal, en: grouped };
	}
	if (VIETNAMESE.test(text))
		return {
			kind: 'number',
			value: Number(text.replaceAll('.', '').replace(',', '.')),
			notation: 'vi'
		};
	if (ENGLISH.test(text))
		return { kind: 'number', value: Number(text.replaceAll(',', '')), notation: 'en' };
	if (PLAIN.test(text)) {
		const notation = text.includes(',') ? 'vi' : text.includes('.') ? 'en' : undefined;
		return { kind: 'number', value: Number(text.replace(',', '.')), notation };
	}
	return { kind: 'text' };
}

/** The one notation the readings show, if they show exactly one. */
function notationOf(readings: Iterable<Reading>): Notation | 'mixed' | undefined {
	const seen = new Set<Notation>();
	for (const r of readings) if (r.kind === 'number' && r.notation) seen.add(r.notation);
	return seen.size > 1 ? 'mixed' : [...seen][0];
}

function detectDelimiter(text: string): string {
	const first = text.split('\n').find((line) => line.trim() !== '') ?? '';
	const count = (c: string) => first.split(c).length - 1;
	const commas = count(',');
	const semicolons = count(';');
	if (semicolons > commas) return ';';
	if (commas === 0 && semicolons === 0 && first.includes('\t')) return '\t';
	return ',';
}

const fail = (code: TableProblem['code'], line?: number): { problem: TableProblem } => ({
	problem: line === undefined ? { code } : { code, line }
});

export function parseTable(bytes: Uint8Array): { table: DataTable } | { problem: TableProblem } {
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return fail('encoding');
	}
	if (text.includes('\u0000')) return fail('encoding');
	// One line break everywhere, so that csv-parse counts lines right (it counts a quoted CRLF as two).
	text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
	const delimiter = detectDelimiter(text);

	const ends: number[] = [];
	let records: string[][];
	try {
		records = parse(text, {
			delimiter,
			relax_column_count: true,
			// a quote inside an unquoted cell (=HYPERLINK("…")) is text, not a syntax error
			relax_quotes: true,
			skip_empty_lines: true,
			trim: true,
			// The header, the most rows allowed and one more to tell that there are too many.
			to: TABLE_LIMITS.maxRows + 2,
			on_record: (record, context) => {
				ends.push(context.lines);
				return record;
			}
		});
	} catch (error) {
		const line = (error as { lines?: unknown } | null)?.lines;
		return fail('parse', typeof line === 'number' ? line : undefined);
	}
	// csv-parse gives the line a record ends on; it starts as many lines earlier as it has line breaks.
	const lineOf = (i: number) =>
		ends[i] - records[i].reduce((n, cell) => n + cell.split('\n').length - 1, 0);

	const [header, ...body] = records;
	if (header === undefined) return fail('empty');
	if (header.some((name) => name === '')) return fail('no_header');
	if (header.length > TABLE_LIMITS.maxColumns) return fail('too_many_columns');
	if (new Set(header).size !== header.length) return fail('duplicate_header');
	if (header.some((name) => name.length > TABLE_LIMITS.maxCell))
		return fail('cell_too_long', lineOf(0));
	if (body.length === 0) return fail('empty');
	if (body.length > TABLE_LIMITS.maxRows) return fail('too_many_rows');
	for (const [i, row] of body.entries()) {
		if (row.length !== header.length) return fail('ragged', lineOf(i + 1));
		if (row.some((cell) => cell.length > TABLE_LIMITS.maxCell))
			return fail('cell_too_long', lineOf(i + 1));
	}

	const readings = body.map((row) => row.map(read));
	const fileNotation = notationOf(readings.flat()) ?? (delimiter === ';' ? 'vi' : undefined);
	const columns = header.map((_, j) => {
		const own = notationOf(readings.map((row) => row[j]));
		return own ?? (fileNotation === 'mixed' ? undefined : fileNotation);
	});
	const rows = body.map((row, i) =>
		row.map((text, j): Cell => {
			if (text === '') return null;
			const r = readings[i][j];
			if (r.kind === 'number') return r.value;
			const notation = columns[j];
			if (r.kind === 'ambiguous' && (notation === 'vi' || notation === 'en')) return r[notation];
			return text;
		})
	);
	const numeric = header.map(
		(_, j) =>
			rows.some((row) => typeof row[j] === 'number') &&
			rows.every((row) => row[j] === null || typeof row[j] === 'number')
	);
	return { table: { columns: header, rows, numeric } };
}

/**
 * The table as an export (CSV or workbook): its own headers, each number as a number as it was
 * published (no rounding: these are an agency's figures, not the app's), every other cell text.
 */
export function tableExport(table: DataTable): ExportTable<Cell[]> {
	return {
		columns: table.columns.map((header, j) => ({
			header,
			format: (row) => (typeof row[j] === 'number' ? AS_PUBLISHED : TEXT),
			value: (row) => row[j]
		})),
		rows: table.rows
	};
}

/** Header row first; texts a spreadsheet would run as formulas are neutralised. */
export const tableToCsv = (table: DataTable): string => csvText(tableExport(table));

export function tableToJson(table: DataTable): {
	columns: string[];
	rows: Record<string, Cell>[];
} {
	return {
		columns: table.columns,
		// fromEntries defines own properties, so a header such as "__proto__" is kept as a key.
		rows: table.rows.map((row) => Object.fromEntries(table.columns.map((c, j) => [c, row[j]])))
	};
}

/** A bar chart fits: text labels in the first column, up to three numeric series, 1..50 rows. */
export function chartable(table: DataTable): { label: number; values: number[] } | null {
	if (table.columns.length < 2 || table.numeric[0]) return null;
	if (table.rows.length < 1 || table.rows.length > 50) return null;
	const values = table.numeric
		.map((isNumeric, j) => (isNumeric && j > 0 ? j : -1))
		.filter((j) => j > 0)
		.slice(0, 3);
	return values.length > 0 ? { label: 0, values } : null;
}
