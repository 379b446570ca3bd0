import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { seenFingerprint } from '$lib/server/review/fingerprint';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { echoValues, parseForm, readForm, type FieldErrors } from '$lib/server/forms/parse';
import { readUploads } from '$lib/server/files/uploads';
import { renderMarkdown, MARKDOWN_MAX_LENGTH } from '$lib/server/markdown';
import {
	acceptQuestion,
	addNote,
	approveReply,
	CaseError,
	mergeQuestion,
	redactQuestion,
	rejectQuestion,
	requestInfo,
	returnReply,
	saveDraft,
	transferQuestion,
	type CaseErrorCode,
	type Staff
} from '$lib/server/questions/cases';
import { storeUploads } from '$lib/server/questions/files';
import { agencies } from '$lib/server/reference';
import { topics } from '$lib/server/questions/reference';
import { idParam } from '$lib/server/http/params';
import { staffCase } from '$lib/server/questions/staff';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const caseId = idParam;

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'officials');
	const db = await getDb();
	let found;
	try {
		found = await staffCase(db, user, caseId(event.params.id));
	} catch (e) {
		if (e instanceof CaseError && e.code === 'forbidden')
			error(403, { message: m.error_forbidden() });
		if (e instanceof CaseError) error(404, { message: m.error_not_found() });
		throw e;
	}
	const [topicList, agencyList] = await Promise.all([topics(db), agencies(db)]);
	const { q } = found;
	return {
		rights: found.rights,
		question: {
			id: q.id,
			code: q.code,
			title: q.title,
			body: q.body,
			publicTitle: q.public_title,
			publicBody: q.public_body,
			status: q.status,
			topic: q.topic_code,
			agencyId: q.agency_id,
			requestedAgencyId: q.requested_agency_id,
			receivedAt: q.received_at,
			dueOn: q.due_on ? String(q.due_on).slice(0, 10) : null,
			pausedSince: q.paused_since ? String(q.paused_since).slice(0, 10) : null,
			rejectionReason: q.rejection_reason,
			infoRequest: q.info_request,
			mergedInto: found.mergedInto?.code ?? null
		},
		topicName: found.topic,
		unit: found.unit,
		agency: found.agency ?? null,
		contact: found.contact ?? null,
		files: found.files,
		replies: found.replies.map((r) => ({ ...r, html: renderMarkdown(r.bodyMd) })),
		events: found.events,
		topics: topicList,
		agencies: agencyList,
		markdownMax: MARKDOWN_MAX_LENGTH
	};
};

const CASE_MESSAGES: Record<CaseErrorCode, () => string> = {
	not_found: m.error_not_found,
	forbidden: m.error_forbidden,
	state: m.common_error_state,
	own_draft: m.common_error_own_draft,
	changed: m.common_error_changed_since_review,
	same_agency: m.qa_error_same_agency,
	merge_target: m.qa_error_merge_target,
	bad_choice: m.common_error_choice
};

/** Runs a staff action on the case; what cannot be done now is answered with why, input kept. */
async function act(
	event: RequestEvent,
	schema: z.ZodType,
	work: (staff: Staff, id: number, data: never) => Promise<void>,
	form?: FormData
) {
	const user = requireArea(event, 'officials');
	const id = caseId(event.params.id);
	const posted = form ?? (await readForm(event.request));
	if (!(posted instanceof FormData)) return posted;
	const parsed = parseForm(schema, posted);
	if ('failure' in parsed) return parsed.failure;
	try {
		await work(user, id, parsed.data as never);
	} catch (e) {
		if (e instanceof CaseError) {
			return fail(e.code === 'forbidden' ? 403 : e.code === 'not_found' ? 404 : 409, {
				values: echoValues(posted),
				errors: {},
				message: CASE_MESSAGES[e.code]()
			});
		}
		throw e;
	}
	return { done: true };
}

const text = (min: number, max: number) =>
	z
		.string({ error: () => m.error_required() })
		.trim()
		.min(min, { error: () => (min <= 1 ? m.error_required() : m.common_error_too_short({ min })) })
		.max(max, { error: () => m.common_error_too_long({ max }) });

const wording = { publicTitle: text(5, 200), publicBody: text(10, 8000) };

export const actions: Actions = {
	accept: async (event) => {
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		const agencyIds = form
			.getAll('agencies')
			.map(Number)
			.filter((n) => Number.isSafeInteger(n) && n > 0 && n <= 2_147_483_647);
		if (agencyIds.length === 0) {
			return fail(400, {
				values: echoValues(form),
				errors: { agencies: m.qa_error_agencies() } as FieldErrors
			});
		}
		const schema = z.object({ topic: text(1, 40), ...wording });
		return act(
			event,
			schema,
			async (staff, id, d: z.infer<typeof schema>) =>
				acceptQuestion(await getDb(), staff, id, { ...d, agencyIds }),
			form
		);
	},
	reject: (event) => {
		const schema = z.object({ reason: text(5, 2000) });
		return act(event, schema, async (staff, id, d: z.infer<typeof schema>) =>
			rejectQuestion(await getDb(), staff, id, d.reason)
		);
	},
	info: (event) => {
		const schema = z.object({ request: text(5, 2000) });
		return act(event, schema, async (staff, id, d: z.infer<typeof schema>) =>
			requestInfo(await getDb(), staff, id, d.request)
		);
	},
	merge: (event) => {
		const schema = z.object({ target: text(1, 20) });
		return act(event, schema, async (staff, id, d: z.infer<typeof schema>) =>
			mergeQuestion(await getDb(), staff, id, d.target)
		);
	},
	redact: (event) => {
		const schema = z.object(wording);
		return act(event, schema, async (staff, id, d: z.infer<typeof schema>) =>
			redactQuestion(await getDb(), staff, id, d)
		);
	},
	draft: async (event) => {
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		const uploads = await readUploads(form, 'files');
		if (uploads.problems.length > 0) {
			return fail(400, {
				values: echoValues(form),
				errors: { files: m.qa_error_reply_files() } as FieldErrors
			});
		}
		const schema = z.object({ body: text(10, MARKDOWN_MAX_LENGTH), submit: z.string().optional() });
		return act(
			event,
			schema,
			async (staff, id, d: z.infer<typeof schema>) =>
				saveDraft(
					await getDb(),
					staff,
					id,
					d.body,
					await storeUploads(uploads.files),
					d.submit === 'yes'
				),
			form
		);
	},
	approve: (event) => {
		const schema = z.object({ seen: seenFingerprint });
		return act(event, schema, async (staff, id, d: z.infer<typeof schema>) =>
			approveReply(await getDb(), staff, id, new Date(), d.seen)
		);
	},
	return: (event) => {
		const schema = z.object({ returnNote: text(3, 2000) });
		return act(event, schema, async (staff, id, d: z.infer<typeof schema>) =>
			returnReply(await getDb(), staff, id, d.returnNote)
		);
	},
	note: (event) => {
		const schema = z.object({ note: text(1, 4000) });
		return act(event, schema, async (staff, id, d: z.infer<typeof schema>) =>
			addNote(await getDb(), staff, id, d.note)
		);
	},
	transfer: (event) => {
		const schema = z.object({
			agency: z.coerce
				.number({ error: () => m.error_required() })
				.int()
				.positive(),
			why: text(5, 2000)
		});
		return act(event, schema, async (staff, id, d: z.infer<typeof schema>) =>
			transferQuestion(await getDb(), staff, id, d.agency, d.why)
		);
	}
};
