import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { caseRights } from '$lib/server/questions/permissions';
import { fileResponse } from '$lib/server/files/download';
import { idParam } from '$lib/server/http/params';
import { readQuestionFile, staffFileScope } from '$lib/server/questions/files';
import { caseAgency } from '$lib/server/questions/staff';
import type { RequestHandler } from './$types';

/**
 * A case's files for the staff who see it: the citizen's attachments, published replies' files,
 * and drafts' files only for the staff who may read those drafts.
 */
export const GET: RequestHandler = async (event) => {
	const user = requireArea(event, 'officials');
	const db = await getDb();
	const id = idParam(event.params.id);
	const fid = idParam(event.params.fid);
	const q = await caseAgency(db, id);
	if (!q) error(404, { message: m.error_not_found() });
	const rights = caseRights(user, q.agencyId);
	if (!rights.see) error(403, { message: m.error_forbidden() });
	const file = await readQuestionFile(db, q.id, fid, staffFileScope(rights, q.agencyId));
	if (!file) error(404, { message: m.error_not_found() });
	return fileResponse(file, true);
};
