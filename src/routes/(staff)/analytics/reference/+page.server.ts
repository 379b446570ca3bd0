import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import {
	deleteOfficialResult,
	deleteTarget,
	editableProvince,
	enteredMeasure,
	measureTitle,
	officialSchema,
	referenceFigures,
	referenceInstruments,
	referenceProvince,
	saveOfficialResult,
	saveTarget,
	targetSchema
} from '$lib/server/analytics/reference';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { formStep, loaded } from '$lib/server/forms/step';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'analytics');
	const db = await getDb();
	const { province, mayEdit } = await loaded(referenceProvince(db, user.grants));
	return {
		province: province.name,
		mayEdit,
		instruments: await loaded(referenceInstruments(db)),
		...(await loaded(referenceFigures(db, province.id)))
	};
};

const officialRef = z.object({
	id: z.coerce
		.number({ error: () => m.error_invalid_request() })
		.int()
		.positive()
		.max(2 ** 31 - 1)
});
const targetRef = z.object({ measureRef: z.string() });

export const actions: Actions = {
	official: async (event) => {
		const user = requireArea(event, 'analytics');
		return formStep(event.request, officialSchema, async (entered) => {
			const db = await getDb();
			const province = await editableProvince(db, user.grants);
			const x = await enteredMeasure(db, entered.measureRef, entered.value);
			const { year, source } = entered;
			await saveOfficialResult(
				db,
				{
					instrumentId: x.instrument.id,
					unitId: province.id,
					year,
					measure: x.measure.code,
					value: x.value,
					source
				},
				user.id
			);
			return { done: m.ref_official_saved({ year, measure: x.title }) };
		});
	},

	deleteOfficial: async (event) => {
		const user = requireArea(event, 'analytics');
		return formStep(event.request, officialRef, async ({ id }) => {
			const db = await getDb();
			const province = await editableProvince(db, user.grants);
			const gone = await deleteOfficialResult(db, id, province.id, user.id);
			const measure = await measureTitle(db, gone.instrument_id, gone.measure);
			return { done: m.ref_official_deleted({ year: gone.year, measure }) };
		});
	},

	target: async (event) => {
		const user = requireArea(event, 'analytics');
		return formStep(event.request, targetSchema, async (entered) => {
			const db = await getDb();
			await editableProvince(db, user.grants);
			const x = await enteredMeasure(db, entered.measureRef, entered.value);
			await saveTarget(
				db,
				{
					instrumentId: x.instrument.id,
					measure: x.measure.code,
					value: x.value,
					note: entered.note
				},
				user.id
			);
			return { done: m.ref_target_saved({ measure: x.title }) };
		});
	},

	deleteTarget: async (event) => {
		const user = requireArea(event, 'analytics');
		return formStep(event.request, targetRef, async ({ measureRef }) => {
			const db = await getDb();
			await editableProvince(db, user.grants);
			const x = await enteredMeasure(db, measureRef);
			await deleteTarget(db, x.instrument.id, x.measure.code, user.id);
			return { done: m.ref_target_deleted({ measure: x.title }) };
		});
	}
};
