import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { renderMarkdown } from '$lib/server/markdown';
import { getDb } from '$lib/server/db';
import { echoValues, parseForm, readForm } from '$lib/server/forms/parse';
import {
	askerQuestion,
	mayRate,
	provideInfo,
	rateAnswer,
	reopenQuestion
} from '$lib/server/questions/asker';
import { CaseError } from '$lib/server/questions/cases';
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
			mayReopen: q.status === 'answered' && q.reopened_at === null,
			public: q.status === 'assigned' || q.status === 'answered'
		},
		events,
		replies: replies.map((r) => ({ ...r, html: renderMarkdown(r.bodyMd) })),
		files: files.map((f) => ({ id: f.id, name: f.name, size: f.size, replyId: f.replyId }))
	};
};

const moreSchema = z.object({
	detail: z
		.string()
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
		.string()
		.trim()
		.min(5, { error: () => m.common_error_too_short({ min: 5 }) })
		.max(1000, { error: () => m.common_error_too_long({ max: 1000 }) })
});

/** Runs an asker's step; a step that no longer fits the question's state says so. */
async function step(form: FormData, work: () => Promise<void>) {
	try {
		await work();
	} catch (e) {
		if (e instanceof CaseError) {
			return fail(409, {
				values: echoValues(form),
				errors: {},
				message: e.code === 'not_found' ? m.qa_track_not_found() : m.common_error_state()
			});
		}
		throw e;
	}
}

export const actions: Actions = {
	more: async ({ request, params }) => {
		const form = await readForm(request);
		if (!(form instanceof FormData)) return form;
		const parsed = parseForm(moreSchema, form);
		if ('failure' in parsed) return parsed.failure;
		const failed = await step(form, async () =>
			provideInfo(await getDb(), params.token, parsed.data.detail)
		);
		if (failed) return failed;
		redirect(303, `/questions/track/${params.token}`);
	},
	rate: async ({ request, params }) => {
		const form = await readForm(request);
		if (!(form instanceof FormData)) return form;
		const parsed = parseForm(rateSchema, form);
		if ('failure' in parsed) return parsed.failure;
		const failed = await step(form, async () =>
			rateAnswer(await getDb(), params.token, parsed.data.rating, parsed.data.comment)
		);
		if (failed) return failed;
		redirect(303, `/questions/track/${params.token}`);
	},
	reopen: async ({ request, params }) => {
		const form = await readForm(request);
		if (!(form instanceof FormData)) return form;
		const parsed = parseForm(reopenSchema, form);
		if ('failure' in parsed) return parsed.failure;
		const failed = await step(form, async () =>
			reopenQuestion(await getDb(), params.token, parsed.data.reason)
		);
		if (failed) return failed;
		redirect(303, `/questions/track/${params.token}`);
	}
};
