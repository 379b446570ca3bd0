import { error } from '@sveltejs/kit';
import { EXPORT_FORMATS, type ExportFormat } from '$lib/exports/format';
import { m } from '$lib/paraglide/messages';
import { csvText, type ExportTable } from './columns';
import { XLSX_TYPE, xlsxBuffer } from './xlsx';

/**
 * An export as a download, in the format the address asks for: `?format=xlsx` for an Excel
 * workbook, CSV otherwise. Both come from the same columns, so they hold the same rows and
 * numbers. Anything but csv or xlsx is refused (400), never guessed.
 */
export function formatParam(url: URL): ExportFormat {
	const format = url.searchParams.get('format') ?? 'csv';
	if (!(EXPORT_FORMATS as readonly string[]).includes(format))
		error(400, { message: m.error_invalid_request() });
	return format as ExportFormat;
}

/** Control characters, and what a file system or a header would take as syntax. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f"\\/:*?<>|]+/g;

/**
 * `attachment` with a file name every browser keeps: a plain ASCII one (letters without their
 * marks, anything else a dash) and the readable UTF-8 one beside it.
 */
export function attachment(base: string, format: ExportFormat): string {
	const clean = base.normalize('NFC').replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
	const ascii =
		clean
			.normalize('NFD')
			.replace(/[\u0300-\u036f]/g, '')
			.replace(/đ/g, 'd')
			.replace(/Đ/g, 'D')
			.replace(/[^A-Za-z0-9._-]+/g, '-')
			.replace(/^[-.]+|[-.]+$/g, '')
			.slice(0, 100) || 'export';
	const name = Array.from(clean || 'export')
		.slice(0, 100)
		.join('');
	// RFC 5987: encodeURIComponent leaves ' ( ) * !, which are not allowed there either
	const encoded = encodeURIComponent(`${name}.${format}`).replace(
		/['()*!]/g,
		(c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
	);
	return `attachment; filename="${ascii}.${format}"; filename*=UTF-8''${encoded}`;
}

export type ExportOptions = {
	format: ExportFormat;
	/** the file name without its extension */
	name: string;
	/** the workbook's sheet name */
	sheet: string;
	/** `private, no-store` unless told (exports are mostly staff data) */
	cacheControl?: string;
};

export async function exportResponse<R>(
	table: ExportTable<R>,
	o: ExportOptions
): Promise<Response> {
	const headers = {
		'content-disposition': attachment(o.name, o.format),
		'cache-control': o.cacheControl ?? 'private, no-store'
	};
	if (o.format === 'xlsx')
		return new Response(new Uint8Array(await xlsxBuffer(table, o.sheet)), {
			headers: { ...headers, 'content-type': XLSX_TYPE }
		});
	return new Response(csvText(table), {
		headers: { ...headers, 'content-type': 'text/csv; charset=utf-8' }
	});
}

/** A CSV streamed as it is written (large exports). */
export function csvStreamResponse(body: ReadableStream<Uint8Array>, name: string): Response {
	return new Response(body, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': attachment(name, 'csv'),
			'cache-control': 'private, no-store'
		}
	});
}
