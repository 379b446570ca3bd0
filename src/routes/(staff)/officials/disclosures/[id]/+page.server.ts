import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import {
	approveVersion,
	removeFile,
	returnVersion,
	saveVersion,
	startCorrection,
	withdrawDisclosure
} from '$lib/server/disclosures/publish';
import { approvalSchema, reasonSchema, versionSchema } from '$lib/server/disclosures/schemas';
import { staffDisclosure } from '$lib/server/disclosures/staff';
import { disclosureFiles } from '$lib/server/disclosures/uploads';
import { formStep, loaded } from '$lib/server/forms/step';
import { idParam } from '$lib/server/http/params';
import { renderMarkdown } from '$lib/server/markdown';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'officials');
	const d = await loaded(staffDisclosure(await getDb(), user, idParam(event.params.id)));
	return {
		// the new draft's page after "create": what was done, said once
		created: event.url.searchParams.get('done') === 'created',
		disclosure: {
			...d,
			versions: d.versions.map((v) => ({ ...v, html: renderMarkdown(v.bodyMd) }))
		}
	};
};

/** Who acts, on which item, with the database: what every step of this page starts from. */
async function on(event: RequestEvent) {
	return {
		staff: requireArea(event, 'officials'),
		id: idParam(event.params.id),
		db: await getDb()
	};
}

const fileSchema = z.object({
	file: z.coerce
		.number({ error: () => m.common_error_invalid() })
		.int({ error: () => m.common_error_invalid() })
		.positive({ error: () => m.common_error_invalid() })
		.max(2_147_483_647, { error: () => m.common_error_invalid() })
});

const noFields = z.object({});

export const actions: Actions = {
	save: async (event) => {
		const { staff, id, db } = await on(event);
		const files = disclosureFiles();
		return formStep(
			event.request,
			versionSchema,
			async (d, form) => {
				const submit = form.get('submit') === 'yes';
				await saveVersion(
					db,
					staff,
					id,
					{
						title: d.title,
						summary: d.summary,
						bodyMd: d.body,
						effectiveOn: d.effectiveOn,
						changeNote: d.changeNote
					},
					files.stored(),
					submit
				);
				return { done: submit ? m.dc_done_submitted() : m.dc_done_saved() };
			},
			{ check: files.check }
		);
	},
	removeFile: async (event) => {
		const { staff, id, db } = await on(event);
		return formStep(event.request, fileSchema, async (d) => {
			await removeFile(db, staff, id, d.file);
			return { done: m.dc_done_file_removed() };
		});
	},
	approve: async (event) => {
		const { staff, id, db } = await on(event);
		return formStep(event.request, approvalSchema, async (d) => {
			await approveVersion(db, staff, id, new Date(), d.seen);
			return { done: m.dc_done_published(), published: `/disclosures/${id}` };
		});
	},
	return: async (event) => {
		const { staff, id, db } = await on(event);
		return formStep(event.request, noFields, async () => {
			await returnVersion(db, staff, id);
			return { done: m.dc_done_returned() };
		});
	},
	correct: async (event) => {
		const { staff, id, db } = await on(event);
		return formStep(event.request, reasonSchema('changeNote'), async (d) => {
			await startCorrection(db, staff, id, d.changeNote!);
			return { done: m.dc_done_correcting() };
		});
	},
	withdraw: async (event) => {
		const { staff, id, db } = await on(event);
		return formStep(event.request, reasonSchema('reason'), async (d) => {
			await withdrawDisclosure(db, staff, id, d.reason!);
			return { done: m.dc_done_withdrawn() };
		});
	}
};
