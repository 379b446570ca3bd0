import { error } from '@sveltejs/kit';
import { workingDaysBetween, vietnamDate } from '$lib/deadlines/working-days';
import { m } from '$lib/paraglide/messages';
import { getDb } from '$lib/server/db';
import { loadCalendar } from '$lib/server/deadlines/calendar';
import { renderMarkdown } from '$lib/server/markdown';
import { filesOf } from '$lib/server/questions/files';
import { publicQuestion } from '$lib/server/questions/public';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	const db = await getDb();
	const code = params.code.toUpperCase();
	if (!/^HD-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(code)) error(404, { message: m.error_not_found() });
	const q = await publicQuestion(db, code);
	if (!q) error(404, { message: m.error_not_found() });
	const [calendar, files] = await Promise.all([loadCalendar(db), filesOf(db, q.id, 'public')]);
	return {
		question: { ...q, id: undefined, replies: undefined },
		replies: q.replies.map((r) => ({
			id: r.id,
			html: renderMarkdown(r.bodyMd),
			publishedAt: r.publishedAt,
			agencyVi: r.agencyVi,
			agencyEn: r.agencyEn,
			onTime: r.onTime,
			// how long the answer took, in working days, from the day the agency got it
			workingDays: workingDaysBetween(
				vietnamDate(r.assignedAt!),
				vietnamDate(r.publishedAt!),
				calendar
			),
			files: files
				.filter((f) => f.replyId === r.id)
				.map((f) => ({ id: f.id, name: f.name, size: f.size }))
		}))
	};
};
