import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { renderMarkdown } from '$lib/server/markdown';
import { getDb } from '$lib/server/db';
import { formStep } from '$lib/server/forms/step';
import {
	askerQuestion,
	provideInfo,
	rateAnswer,
	reopenQuestion
} from '$lib/server/questions/asker';
import { mayRate, mayReopen } from '$lib/server/questions/permissions';
import { timeline } from '$lib/server/questions/events';
import { filesOf } from '$lib/server/questions/files';
import { publishedReplies } from '$lib/server/questions/public';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, url, setHeaders }) => {
	const db = await getDb();
	const q = await askerQuestion(db, params.token);
	if (!q) error(404, { message: m.qa_track_not_found() });
	// the address is the asker's key: keep it out of caches
	setHeaders({ 'cache-control': 'private, no-store' });
	const [events, replies, files] = await Promise.all([
		timeline(db, q.id, false),
		publishedReplies(db, q.id),
		filesOf(db, q.id, 'asker')
	]);
	return {
		isNew: url.searchParams.has('new'),
		token: params.token,
		question: {
			code: q.code,
			title: q.title,
			body: q.body,
			status: q.status,
			receivedAt: q.received_at,
			dueOn: q.due_on ? String(q.due_on).slice(0, 10) : null,
			rejectionReason: q.rejection_reason,
			infoRequest: q.info_request,
			mergedInto: q.mergedInto?.code ?? null,
			rating: q.rating,
			ratingComment: q.rating_comment,
			mayRate: mayRate(q),
			mayReopen: mayReopen(q),
			public: q.status === 'assigned' || q.status === 'answered'
		},
		events,
		replies: replies.map((r) => ({ ...r, html: renderMarkdown(r.bodyMd) })),
		files: files.map((f) => ({ id: f.id, name: f.name, size: f.size, replyId: f.replyId }))
	};
};

const moreSchema = z.object({
	detail: z
		.string({ error: () => m.error_required() })
		.trim()
		.min(5, { error: () => m.common_error_too_short({ min: 5 }) })
		.max(3000, { error: () => m.common_error_too_long({ max: 3000 }) })
});
const rateSchema = z.object({
	rating: z.enum(['satisfied', 'unsatisfied'], { error: () => m.qa_error_rating() }),
	comment: z
		.string()
		.trim()
		.max(1000, { error: () => m.common_error_too_long({ max: 1000 }) })
		.optional()
		.transform((v) => v || null)
});
const reopenSchema = z.object({
	reason: z
		.string({ error: () => m.error_required() })
		.trim()
		.min(5, { error: () => m.common_error_too_short({ min: 5 }) })
		.max(1000, { error: () => m.common_error_too_long({ max: 1000 }) })
});

/**
 * The asker's steps answer on the page with what happened; a step that no longer fits the
 * question (answered meanwhile, link wrong) is refused with why, what was typed kept.
 */
export const actions: Actions = {
	more: ({ request, params }) =>
		formStep(request, moreSchema, async (d) => {
			await provideInfo(await getDb(), params.token, d.detail);
			return { done: m.qa_done_more() };
		}),
	rate: ({ request, params }) =>
		formStep(request, rateSchema, async (d) => {
			await rateAnswer(await getDb(), params.token, d.rating, d.comment);
			return { done: m.qa_done_rated() };
		}),
	reopen: ({ request, params }) =>
		formStep(request, reopenSchema, async (d) => {
			await reopenQuestion(await getDb(), params.token, d.reason);
			return { done: m.qa_done_reopened() };
		})
};
