/**
 * The formats an export is offered in, and the address of each. Pure (pages use it for their links).
 * An export's address gives CSV; `?format=xlsx` gives the same table as an Excel workbook.
 */
export type ExportFormat = 'csv' | 'xlsx';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'xlsx'];

/** The export at `href` (which may carry a query, such as a filter) in `format`. */
export function formatHref<T extends string>(href: T, format: ExportFormat): T {
	const [path = '', query = ''] = href.split('?');
	const params = new URLSearchParams(query);
	if (format === 'csv') params.delete('format');
	else params.set('format', format);
	const rest = params.toString();
	return (rest ? `${path}?${rest}` : path) as T;
}
