import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import {
	deleteOfficialResult,
	deleteTarget,
	findMeasure,
	officialSchema,
	referenceFigures,
	referenceInstruments,
	saveOfficialResult,
	saveTarget,
	storedValue,
	targetSchema
} from '$lib/server/analytics/reference';
import { requireArea } from '$lib/server/auth/guards';
import { getDb, type Db } from '$lib/server/db';
import { echoValues, parseForm, readForm } from '$lib/server/forms/parse';
import { fieldworkScope, outsideScope } from '$lib/server/surveys/scope';
import { deploymentOverview } from '$lib/server/units/deployment';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** The province whose figures these are; the analyst's scope must cover it to change them. */
async function provinceContext(event: RequestEvent | Parameters<PageServerLoad>[0]) {
	const user = requireArea(event, 'analytics');
	const db = await getDb();
	const { province } = await deploymentOverview(db);
	if (!province) error(404, { message: m.error_not_found() });
	const mayEdit = (await outsideScope(db, fieldworkScope(user.grants), [province.id])).length === 0;
	return { user, db, province, mayEdit };
}

export const load: PageServerLoad = async (event) => {
	const { db, province, mayEdit } = await provinceContext(event);
	return {
		province: province.name,
		mayEdit,
		instruments: await referenceInstruments(db),
		...(await referenceFigures(db, province.id))
	};
};

async function editable(event: RequestEvent) {
	const context = await provinceContext(event);
	if (!context.mayEdit) error(403, { message: m.error_forbidden() });
	return context;
}

/** The measure a form names and its value on the measure's scale, or the form's failure. */
async function measureValue(db: Db, form: FormData, data: { measureRef: string; value: number }) {
	const found = findMeasure(await referenceInstruments(db), data.measureRef);
	if (!found)
		return {
			failure: fail(400, { values: echoValues(form), errors: { measureRef: m.error_required() } })
		};
	const value = storedValue(found.measure, data.value);
	if (value === null) {
		const max = found.measure.range === 1 ? 100 : found.measure.range;
		return {
			failure: fail(400, {
				values: echoValues(form),
				errors: { value: m.ref_value_range({ max }) }
			})
		};
	}
	return { found, value };
}

const invalid = () => fail(400, { values: {}, errors: {}, message: m.error_invalid_request() });

export const actions: Actions = {
	official: async (event) => {
		const { user, db, province } = await editable(event);
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		const parsed = parseForm(officialSchema, form);
		if ('failure' in parsed) return parsed.failure;
		const resolved = await measureValue(db, form, parsed.data);
		if ('failure' in resolved) return resolved.failure;
		const { found, value } = resolved;
		await saveOfficialResult(
			db,
			{
				instrumentId: found.instrument.id,
				unitId: province.id,
				year: parsed.data.year,
				measure: found.measure.code,
				value,
				source: parsed.data.source
			},
			user.id
		);
		return { done: m.ref_saved() };
	},

	deleteOfficial: async (event) => {
		const { user, db, province } = await editable(event);
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		const ref = z
			.object({
				id: z.coerce
					.number()
					.int()
					.positive()
					.max(2 ** 31 - 1)
			})
			.safeParse(Object.fromEntries(form));
		if (!ref.success) return invalid();
		await deleteOfficialResult(db, ref.data.id, province.id, user.id);
		return { done: m.ref_deleted() };
	},

	target: async (event) => {
		const { user, db } = await editable(event);
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		const parsed = parseForm(targetSchema, form);
		if ('failure' in parsed) return parsed.failure;
		const resolved = await measureValue(db, form, parsed.data);
		if ('failure' in resolved) return resolved.failure;
		const { found, value } = resolved;
		await saveTarget(
			db,
			{
				instrumentId: found.instrument.id,
				measure: found.measure.code,
				value,
				note: parsed.data.note
			},
			user.id
		);
		return { done: m.ref_saved() };
	},

	deleteTarget: async (event) => {
		const { user, db } = await editable(event);
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		const found = findMeasure(await referenceInstruments(db), String(form.get('measureRef') ?? ''));
		if (!found) return invalid();
		await deleteTarget(db, found.instrument.id, found.measure.code, user.id);
		return { done: m.ref_deleted() };
	}
};
