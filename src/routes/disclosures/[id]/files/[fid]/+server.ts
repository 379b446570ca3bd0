import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getDb } from '$lib/server/db';
import { idParam } from '$lib/server/http/params';
import { publicFile } from '$lib/server/disclosures/public';
import { fileResponse } from '$lib/server/files/download';
import { defaultFileStore } from '$lib/server/files/store';
import type { RequestHandler } from './$types';

/** A published version's file, as a download under its cleaned name. */
export const GET: RequestHandler = async ({ params }) => {
	const id = idParam(params.id);
	const fid = idParam(params.fid);
	const file = await publicFile(await getDb(), id, fid);
	const opened = file ? await defaultFileStore().open(file.sha256) : null;
	if (!file || !opened) error(404, { message: m.error_not_found() });
	const response = fileResponse(
		{ name: file.name, mime: file.mime, ...opened },
		false,
		'attachment'
	);
	response.headers.set('x-checksum-sha256', file.sha256);
	return response;
};
