import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { DISCLOSURE_ERRORS, uploadProblemMessage } from '$lib/server/disclosures/messages';
import { createDisclosure, DisclosureError } from '$lib/server/disclosures/publish';
import { disclosureTypes } from '$lib/server/disclosures/public';
import { staffAgencyIds } from '$lib/server/disclosures/staff';
import { disclosureUploads } from '$lib/server/disclosures/uploads';
import { echoValues, parseFields, readForm, type FieldErrors } from '$lib/server/forms/parse';
import { agencies, unitsServed } from '$lib/server/reference';
import { versionSchema } from '$lib/server/disclosures/schemas';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'officials');
	const db = await getDb();
	const mine = new Set(staffAgencyIds(user).map(String));
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
		agencies: agencyList.filter((a) => mine.has(a.value))
	};
};

const createSchema = versionSchema.extend({
	type: z.string({ error: () => m.error_required() }).min(1, { error: () => m.error_required() }),
	unit: z.coerce
		.number({ error: () => m.error_required() })
		.int()
		.positive()
		.max(2_147_483_647),
	agency: z.coerce
		.number({ error: () => m.error_required() })
		.int()
		.positive()
		.max(2_147_483_647),
	period: z
		.string()
		.trim()
		.optional()
		.transform((v) => v || null)
});

export const actions: Actions = {
	default: async (event) => {
		const user = requireArea(event, 'officials');
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		const values = echoValues(form);
		const parsed = parseFields(createSchema, form);
		const errors: FieldErrors = 'errors' in parsed ? parsed.errors : {};
		const uploads = await disclosureUploads(form);
		if (uploads.problems.length > 0)
			errors.files = uploads.problems.map(uploadProblemMessage).join(' ');
		if (!('data' in parsed) || Object.keys(errors).length > 0) return fail(400, { values, errors });
		const d = parsed.data;
		let id: number;
		try {
			id = await createDisclosure(await getDb(), user, {
				typeCode: d.type,
				unitId: d.unit,
				agencyId: d.agency,
				period: d.period,
				title: d.title,
				summary: d.summary,
				bodyMd: d.body,
				effectiveOn: d.effectiveOn,
				files: uploads.files
			});
		} catch (e) {
			if (e instanceof DisclosureError) {
				// an area the agency does not serve is out of its scope: 403, shown at the field
				const field = { period: 'period', area: 'unit' }[e.code as string];
				return fail(e.code === 'forbidden' || e.code === 'area' ? 403 : 400, {
					values,
					errors: field ? { [field]: DISCLOSURE_ERRORS[e.code]() } : {},
					message: DISCLOSURE_ERRORS[e.code]()
				});
			}
			throw e;
		}
		redirect(303, `/officials/disclosures/${id}`);
	}
};
