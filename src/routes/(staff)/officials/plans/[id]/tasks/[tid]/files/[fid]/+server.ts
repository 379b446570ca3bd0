import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { fileResponse } from '$lib/server/files/download';
import { defaultFileStore } from '$lib/server/files/store';
import { idParam, staffPlanFromParam } from '$lib/server/plans/params';
import { planTasks, reportFiles } from '$lib/server/plans/plans';
import type { RequestHandler } from './$types';

/** A report's evidence file, for the staff (downloads under its cleaned name). */
export const GET: RequestHandler = async (event) => {
	const user = requireArea(event, 'officials');
	// the file of this task of this plan: any other plan's id in the address is not found
	const plan = await staffPlanFromParam(event.params.id, user);
	const tid = idParam(event.params.tid);
	const fid = idParam(event.params.fid);
	const db = await getDb();
	const task = (await planTasks(db, plan.id)).find((t) => t.id === tid);
	const file = task && (await reportFiles(db, task.id)).find((f) => f.id === fid);
	const bytes = file ? await defaultFileStore().get(file.sha256) : null;
	if (!file || !bytes) error(404, { message: m.error_not_found() });
	return fileResponse({ name: file.name, mime: file.mime, bytes }, true, 'attachment');
};
