import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { draftingAgencies } from '$lib/server/disclosures/permissions';
import { createDisclosure } from '$lib/server/disclosures/publish';
import { disclosureTypes } from '$lib/server/disclosures/public';
import { versionSchema } from '$lib/server/disclosures/schemas';
import { disclosureFiles } from '$lib/server/disclosures/uploads';
import { formStep } from '$lib/server/forms/step';
import { agencies, unitsServed } from '$lib/server/reference';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'officials');
	const db = await getDb();
	// only an agency's officials draft; its approvers are told so instead of a form they may not send
	const drafting = new Set(draftingAgencies(user).map(String));
	const [types, units, agencyList] = await Promise.all([
		disclosureTypes(db),
		unitsServed(db),
		agencies(db)
	]);
	return {
		types: types.map((t) => ({
			value: t.code,
			vi: t.name_vi,
			en: t.name_en,
			frequency: t.frequency
		})),
		units,
		agencies: agencyList.filter((a) => drafting.has(a.value))
	};
};

const choice = z.coerce
	.number({ error: () => m.error_required() })
	.int({ error: () => m.error_required() })
	.positive({ error: () => m.error_required() })
	.max(2_147_483_647, { error: () => m.common_error_invalid() });

const createSchema = versionSchema.extend({
	type: z.string({ error: () => m.error_required() }).min(1, { error: () => m.error_required() }),
	unit: choice,
	agency: choice,
	// what was typed is checked against the type's frequency in the step, beside this field
	period: z
		.string()
		.trim()
		.max(20, { error: () => m.dc_error_period() })
		.optional()
		.transform((v) => v || null)
});

export const actions: Actions = {
	default: async (event) => {
		const user = requireArea(event, 'officials');
		const files = disclosureFiles();
		const id = await formStep(
			event.request,
			createSchema,
			async (d) =>
				createDisclosure(await getDb(), user, {
					typeCode: d.type,
					unitId: d.unit,
					agencyId: d.agency,
					period: d.period,
					title: d.title,
					summary: d.summary,
					bodyMd: d.body,
					effectiveOn: d.effectiveOn,
					files: files.stored()
				}),
			{ check: files.check }
		);
		if (typeof id !== 'number') return id;
		redirect(303, `/officials/disclosures/${id}?done=created`);
	}
};
