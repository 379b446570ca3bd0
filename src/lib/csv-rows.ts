import { parse } from 'csv-parse/sync';

export type CsvRow = { record: string[]; line: number };
export type CsvProblem = { line: number; code: 'encoding' | 'parse' };

/**
 * The rows of an uploaded CSV, each with the line it ends on: UTF-8 (a BOM dropped), separated by
 * commas or semicolons, whichever the header line has more of (Excel writes ';' where ',' is the
 * decimal mark). csv-parse needs Node's Buffer: call it on the server only.
 */
export function readCsvRows(bytes: Uint8Array): { rows: CsvRow[] } | { problem: CsvProblem } {
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
	} catch {
		return { problem: { line: 1, code: 'encoding' } };
	}
	if (text.includes('\u0000')) return { problem: { line: 1, code: 'encoding' } };
	const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
	const delimiter =
		(firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
	try {
		const parsed = parse(text.replace(/\r\n?/g, '\n'), {
			delimiter,
			relax_column_count: true,
			relax_quotes: true,
			skip_empty_lines: true,
			trim: true,
			info: true
		}) as unknown as { record: string[]; info: { lines: number } }[];
		return { rows: parsed.map((r) => ({ record: r.record, line: r.info.lines })) };
	} catch (e) {
		return { problem: { line: (e as { lines?: number }).lines ?? 1, code: 'parse' } };
	}
}
