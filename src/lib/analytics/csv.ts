/**
 * CSV as spreadsheets read it safely. Pure.
 *
 * A text that a spreadsheet would run as a formula (it starts with = + - @, a tab, a carriage
 * return or another control character, also after spaces, which an import may trim) gets a
 * leading apostrophe; numbers are written as numbers.
 * Fields with a comma, quote or line break are quoted. The file starts with a byte-order mark so
 * that spreadsheet programs read Vietnamese text as UTF-8.
 */
export type CsvValue = string | number | null | undefined;

export function csvField(value: CsvValue): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
	// eslint-disable-next-line no-control-regex
	const text = /^[\s\u0000-\u001f]*[=+\-@]|^[\u0000-\u001f]/.test(value) ? `'${value}` : value;
	return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const CSV_BOM = '\uFEFF';

export function csvLine(row: readonly CsvValue[]): string {
	return row.map(csvField).join(',') + '\r\n';
}

export function csvDocument(rows: readonly (readonly CsvValue[])[]): string {
	return CSV_BOM + rows.map(csvLine).join('');
}
