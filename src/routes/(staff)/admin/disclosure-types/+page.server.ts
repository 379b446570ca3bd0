import { local } from '$lib/i18n/format';
import { m } from '$lib/paraglide/messages';
import { addType, typeSchema } from '$lib/server/admin/catalogue';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { disclosureTypes } from '$lib/server/disclosures/public';
import { formStep, loaded } from '$lib/server/forms/step';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireArea(event, 'admin');
	return { types: await loaded(disclosureTypes(await getDb())) };
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requireArea(event, 'admin');
		return formStep(event.request, typeSchema, async (t) => {
			const added = await addType(await getDb(), t, actor.id);
			return {
				done: m.dc_type_added({ name: local(added.nameVi, added.nameEn), code: added.code })
			};
		});
	}
};
