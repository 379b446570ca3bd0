import { error, json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { tableToCsv, tableToJson, type DataTable } from '$lib/disclosures/table';
import { getDb } from '$lib/server/db';
import { idParam } from '$lib/server/http/params';
import { publicFile } from '$lib/server/disclosures/public';
import type { RequestHandler } from './$types';

/** A published table back as CSV (formula-safe) or JSON. */
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
	return new Response(tableToCsv(table), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="table.csv"; filename*=UTF-8''${encodeURIComponent(base)}.csv`,
			'cache-control': 'public, max-age=300'
		}
	});
};
