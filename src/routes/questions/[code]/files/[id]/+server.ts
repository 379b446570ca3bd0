import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getDb } from '$lib/server/db';
import { fileResponse } from '$lib/server/files/download';
import { asId } from '$lib/server/http/params';
import { readQuestionFile } from '$lib/server/questions/files';
import { publicQuestion } from '$lib/server/questions/public';
import type { RequestHandler } from './$types';

/** Files attached to published replies; the citizen's own attachments are never public. */
export const GET: RequestHandler = async ({ params }) => {
	const db = await getDb();
	const id = asId(params.id);
	const q = /^HD-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(params.code)
		? await publicQuestion(db, params.code)
		: undefined;
	if (!q || id === null) error(404, { message: m.error_not_found() });
	const file = await readQuestionFile(db, q.id, id, 'public');
	if (!file) error(404, { message: m.error_not_found() });
	return fileResponse(file, false);
};
