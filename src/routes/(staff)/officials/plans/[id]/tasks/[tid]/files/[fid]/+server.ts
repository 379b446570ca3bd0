import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { fileResponse } from '$lib/server/files/download';
import { defaultFileStore } from '$lib/server/files/store';
import { idParam, taskFromParams } from '$lib/server/plans/params';
import { reportFiles } from '$lib/server/plans/plans';
import type { RequestHandler } from './$types';

/** A report's evidence file, for the staff (downloads under its cleaned name). */
export const GET: RequestHandler = async (event) => {
	const user = requireArea(event, 'officials');
	// the task must be one of the plan's: a file is reached only through its own plan and task
	const { task } = await taskFromParams(event.params.id, event.params.tid, user);
	const fid = idParam(event.params.fid);
	const file = (await reportFiles(await getDb(), task.id)).find((f) => f.id === fid);
	const opened = file ? await defaultFileStore().open(file.sha256) : null;
	if (!file || !opened) error(404, { message: m.error_not_found() });
	return fileResponse({ name: file.name, mime: file.mime, ...opened }, true, 'attachment');
};
