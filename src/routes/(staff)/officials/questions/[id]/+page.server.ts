import { z } from 'zod';
import { seenFingerprint } from '$lib/server/review/fingerprint';
import { m } from '$lib/paraglide/messages';
import { formatDate, local } from '$lib/i18n/format';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { readForm, type FieldErrors } from '$lib/server/forms/parse';
import { formStep, loaded } from '$lib/server/forms/step';
import { readUploads } from '$lib/server/files/uploads';
import { renderMarkdown, MARKDOWN_MAX_LENGTH } from '$lib/server/markdown';
import {
	acceptQuestion,
	addNote,
	approveReply,
	mergeQuestion,
	redactQuestion,
	rejectQuestion,
	requestInfo,
	returnReply,
	saveDraft,
	transferQuestion,
	type AgencyName,
	type Routed
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
	const found = await loaded(staffCase(db, user, caseId(event.params.id)));
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

const names = (list: readonly AgencyName[]) => list.map((a) => local(a.vi, a.en)).join(', ');

/** Where the question went and by when, as the official reads it after routing it. */
function routedMessage({ agencies: [first, ...rest], dueOn }: Routed): string {
	const date = formatDate(dueOn);
	if (!first || !dueOn) return m.qa_done_routed_paused({ agencies: names(first ? [first] : []) });
	if (rest.length > 0)
		return m.qa_done_routed_in_turn({ first: names([first]), date, rest: names(rest) });
	return m.qa_done_routed({ agencies: names([first]), date });
}

/** The signed-in official and the case of the address: every action starts there. */
const who = (event: RequestEvent) => ({
	staff: requireArea(event, 'officials'),
	id: caseId(event.params.id)
});

const text = (min: number, max: number) =>
	z
		.string({ error: () => m.error_required() })
		.trim()
		.min(min, { error: () => (min <= 1 ? m.error_required() : m.common_error_too_short({ min })) })
		.max(max, { error: () => m.common_error_too_long({ max }) });

const wording = { publicTitle: text(5, 200), publicBody: text(10, 8000) };

export const actions: Actions = {
	accept: async (event) => {
		const { staff, id } = who(event);
		const schema = z.object({ topic: text(1, 40), ...wording });
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		const agencyIds = form
			.getAll('agencies')
			.map(Number)
			.filter((n) => Number.isSafeInteger(n) && n > 0 && n <= 2_147_483_647);
		return formStep(
			event.request,
			schema,
			async (d) => ({
				done: routedMessage(await acceptQuestion(await getDb(), staff, id, { ...d, agencyIds }))
			}),
			{
				form,
				check: (): FieldErrors =>
					agencyIds.length === 0 ? { agencies: m.qa_error_agencies() } : {}
			}
		);
	},
	reject: (event) => {
		const { staff, id } = who(event);
		return formStep(event.request, z.object({ reason: text(5, 2000) }), async (d) => {
			await rejectQuestion(await getDb(), staff, id, d.reason);
			return { done: m.qa_done_rejected() };
		});
	},
	info: (event) => {
		const { staff, id } = who(event);
		return formStep(event.request, z.object({ request: text(5, 2000) }), async (d) => {
			await requestInfo(await getDb(), staff, id, d.request);
			return { done: m.qa_done_info() };
		});
	},
	merge: (event) => {
		const { staff, id } = who(event);
		return formStep(event.request, z.object({ target: text(1, 20) }), async (d) => {
			const { into } = await mergeQuestion(await getDb(), staff, id, d.target);
			return { done: m.qa_done_merged({ code: into }) };
		});
	},
	redact: (event) => {
		const { staff, id } = who(event);
		return formStep(event.request, z.object(wording), async (d) => {
			await redactQuestion(await getDb(), staff, id, d);
			return { done: m.qa_done_redacted() };
		});
	},
	draft: async (event) => {
		const { staff, id } = who(event);
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		const uploads = await readUploads(form, 'files');
		const schema = z.object({ body: text(10, MARKDOWN_MAX_LENGTH), submit: z.string().optional() });
		return formStep(
			event.request,
			schema,
			async (d) => {
				const submit = d.submit === 'yes';
				const files = await storeUploads(uploads.files);
				await saveDraft(await getDb(), staff, id, d.body, files, submit);
				return { done: submit ? m.qa_done_submitted() : m.qa_done_draft_saved() };
			},
			{
				form,
				check: (): FieldErrors =>
					uploads.problems.length > 0 ? { files: m.qa_error_reply_files() } : {}
			}
		);
	},
	approve: (event) => {
		const { staff, id } = who(event);
		return formStep(event.request, z.object({ seen: seenFingerprint }), async (d) => {
			const { code, next } = await approveReply(await getDb(), staff, id, new Date(), d.seen);
			const agency = next?.agencies[0];
			return {
				done:
					next && agency
						? m.qa_done_published_next({
								agency: names([agency]),
								date: formatDate(next.dueOn)
							})
						: m.qa_done_published(),
				published: code
			};
		});
	},
	return: (event) => {
		const { staff, id } = who(event);
		return formStep(event.request, z.object({ returnNote: text(3, 2000) }), async (d) => {
			await returnReply(await getDb(), staff, id, d.returnNote);
			return { done: m.qa_done_returned() };
		});
	},
	note: (event) => {
		const { staff, id } = who(event);
		return formStep(event.request, z.object({ note: text(1, 4000) }), async (d) => {
			await addNote(await getDb(), staff, id, d.note);
			return { done: m.qa_done_note() };
		});
	},
	transfer: (event) => {
		const { staff, id } = who(event);
		const schema = z.object({
			agency: z.coerce
				.number({ error: () => m.qa_error_agencies() })
				.int({ error: () => m.qa_error_agencies() })
				.positive({ error: () => m.qa_error_agencies() }),
			why: text(5, 2000)
		});
		return formStep(event.request, schema, async (d) => {
			const routed = await transferQuestion(await getDb(), staff, id, d.agency, d.why);
			const agency = names(routed.agencies);
			return {
				done: routed.dueOn
					? m.qa_done_transferred({ agency, date: formatDate(routed.dueOn) })
					: m.qa_done_routed_paused({ agencies: agency })
			};
		});
	}
};
