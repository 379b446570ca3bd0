import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getDb } from '$lib/server/db';
import { askerQuestion } from '$lib/server/questions/asker';
import { fileResponse } from '$lib/server/files/download';
import { asId } from '$lib/server/http/params';
import { readQuestionFile } from '$lib/server/questions/files';
import type { RequestHandler } from './$types';

/** The asker's own attachments and the files of published replies, through the private link. */
export const GET: RequestHandler = async ({ params }) => {
	const db = await getDb();
	const q = await askerQuestion(db, params.token);
	const id = asId(params.id);
	if (!q || id === null) error(404, { message: m.error_not_found() });
	const file = await readQuestionFile(db, q.id, id, 'asker');
	if (!file) error(404, { message: m.error_not_found() });
	return fileResponse(file, true);
};
