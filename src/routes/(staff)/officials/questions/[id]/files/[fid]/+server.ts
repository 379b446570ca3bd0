import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { rightsOn } from '$lib/server/questions/cases';
import { fileResponse } from '$lib/server/files/download';
import { idParam } from '$lib/server/http/params';
import { readQuestionFile } from '$lib/server/questions/files';
import { caseAgency } from '$lib/server/questions/staff';
import type { RequestHandler } from './$types';

/** A case's files for the staff handling it (the citizen's attachments included). */
export const GET: RequestHandler = async (event) => {
	const user = requireArea(event, 'officials');
	const db = await getDb();
	const id = idParam(event.params.id);
	const fid = idParam(event.params.fid);
	const q = await caseAgency(db, id);
	if (!q) error(404, { message: m.error_not_found() });
	if (!rightsOn(user, q.agencyId).see) error(403, { message: m.error_forbidden() });
	const file = await readQuestionFile(db, q.id, fid, 'staff');
	if (!file) error(404, { message: m.error_not_found() });
	return fileResponse(file, true);
};
