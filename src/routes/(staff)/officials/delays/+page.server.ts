import { monthLabel } from '$lib/delays/list';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { delayListPage, delayListSchema } from '$lib/server/delays/page';
import { prepareDelayList } from '$lib/server/delays/prepare';
import { formStep, loaded } from '$lib/server/forms/step';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'officials');
	return loaded(delayListPage(await getDb(), user, event.url.searchParams));
};

export const actions: Actions = {
	prepare: async (event) => {
		const user = requireArea(event, 'officials');
		return formStep(event.request, delayListSchema, async ({ agency, month }) => {
			const prepared = await prepareDelayList(await getDb(), user, agency, month);
			return {
				done: m.delays_prepared({ month: monthLabel(month) }),
				disclosureId: prepared.disclosureId
			};
		});
	}
};
