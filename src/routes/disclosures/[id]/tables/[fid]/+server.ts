import { error, json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { tableExport, tableToJson, type DataTable } from '$lib/disclosures/table';
import { getDb } from '$lib/server/db';
import { exportResponse, formatParam } from '$lib/server/exports/response';
import { idParam } from '$lib/server/http/params';
import { publicFile } from '$lib/server/disclosures/public';
import type { RequestHandler } from './$types';

/** A published table back as CSV (formula-safe), as an Excel workbook (?format=xlsx) or JSON. */
export const GET: RequestHandler = async ({ params, url }) => {
	const id = idParam(params.id);
	const fid = idParam(params.fid);
	const file = await publicFile(await getDb(), id, fid);
	if (!file?.table) error(404, { message: m.error_not_found() });
	const table = JSON.parse(file.table) as DataTable;
	const base = file.name.replace(/\.[^.]+$/, '');
	if (url.searchParams.get('format') === 'json') {
		return json(tableToJson(table), { headers: { 'cache-control': 'public, max-age=300' } });
	}
	return exportResponse(tableExport(table), {
		format: formatParam(url),
		name: base,
		sheet: base,
		cacheControl: 'public, max-age=300'
	});
};
