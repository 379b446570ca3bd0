import { error, fail } from '@sveltejs/kit';
import type { z } from 'zod';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { DISCLOSURE_ERRORS, uploadProblemMessage } from '$lib/server/disclosures/messages';
import {
	approveVersion,
	DisclosureError,
	removeFile,
	returnVersion,
	saveVersion,
	startCorrection,
	withdrawDisclosure
} from '$lib/server/disclosures/publish';
import { approvalSchema, reasonSchema, versionSchema } from '$lib/server/disclosures/schemas';
import { staffDisclosure } from '$lib/server/disclosures/staff';
import { disclosureUploads } from '$lib/server/disclosures/uploads';
import {
	echoValues,
	parseFields,
	parseForm,
	readForm,
	type FieldErrors
} from '$lib/server/forms/parse';
import { asId, idParam } from '$lib/server/http/params';
import { renderMarkdown } from '$lib/server/markdown';
import type { Staff } from '$lib/auth/access';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const itemId = idParam;

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'officials');
	try {
		const d = await staffDisclosure(await getDb(), user, itemId(event.params.id));
		return {
			disclosure: {
				...d,
				versions: d.versions.map((v) => ({ ...v, html: renderMarkdown(v.bodyMd) }))
			}
		};
	} catch (e) {
		if (e instanceof DisclosureError)
			error(e.code === 'forbidden' ? 403 : 404, { message: DISCLOSURE_ERRORS[e.code]() });
		throw e;
	}
};

/** Runs a step; what cannot be done now is answered with why, and what was typed is kept. */
async function step(
	event: RequestEvent,
	form: FormData,
	work: (staff: Staff, id: number) => Promise<void>
) {
	const user = requireArea(event, 'officials');
	try {
		await work(user, itemId(event.params.id));
	} catch (e) {
		if (e instanceof DisclosureError) {
			return fail(e.code === 'forbidden' ? 403 : e.code === 'not_found' ? 404 : 409, {
				values: echoValues(form),
				errors: {},
				message: DISCLOSURE_ERRORS[e.code]()
			});
		}
		throw e;
	}
	return { done: true };
}

async function withForm<S extends z.ZodType>(
	event: RequestEvent,
	schema: S,
	work: (staff: Staff, id: number, data: z.infer<S>) => Promise<void>
) {
	const form = await readForm(event.request);
	if (!(form instanceof FormData)) return form;
	const parsed = parseForm(schema, form);
	if ('failure' in parsed) return parsed.failure;
	return step(event, form, (staff, id) => work(staff, id, parsed.data));
}

export const actions: Actions = {
	save: async (event) => {
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		const parsed = parseFields(versionSchema, form);
		const uploads = await disclosureUploads(form);
		if ('errors' in parsed || uploads.problems.length > 0) {
			const errors: FieldErrors = 'errors' in parsed ? parsed.errors : {};
			if (uploads.problems.length > 0)
				errors.files = uploads.problems.map(uploadProblemMessage).join(' ');
			return fail(400, { values: echoValues(form), errors });
		}
		const d = parsed.data;
		return step(event, form, async (staff, id) =>
			saveVersion(
				await getDb(),
				staff,
				id,
				{
					title: d.title,
					summary: d.summary,
					bodyMd: d.body,
					effectiveOn: d.effectiveOn,
					changeNote: d.changeNote
				},
				uploads.files,
				form.get('submit') === 'yes'
			)
		);
	},
	removeFile: async (event) => {
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		const fileId = asId(String(form.get('file') ?? ''));
		if (fileId === null) return fail(400, { values: {}, errors: {} });
		return step(event, form, async (staff, id) => removeFile(await getDb(), staff, id, fileId));
	},
	approve: (event) =>
		withForm(event, approvalSchema, async (staff, id, d) =>
			approveVersion(await getDb(), staff, id, new Date(), d.seen)
		),
	return: async (event) => {
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		return step(event, form, async (staff, id) => returnVersion(await getDb(), staff, id));
	},
	correct: (event) =>
		withForm(event, reasonSchema('changeNote'), async (staff, id, d) =>
			startCorrection(await getDb(), staff, id, d.changeNote!)
		),
	withdraw: (event) =>
		withForm(event, reasonSchema('reason'), async (staff, id, d) =>
			withdrawDisclosure(await getDb(), staff, id, d.reason!)
		)
};
