import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireUser } from '$lib/server/auth/guards';
import {
	archiveCounter,
	counterChoices,
	createCounter,
	createKiosk,
	listCounters,
	revokeKiosk,
	updateCounter
} from '$lib/server/counters/counters';
import {
	counterChangeForm,
	counterForm,
	counterRef,
	kioskForm,
	kioskRef
} from '$lib/server/counters/forms';
import { mayManageCounters } from '$lib/server/counters/permissions';
import { getDb } from '$lib/server/db';
import { formStep } from '$lib/server/forms/step';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** The agency staff (or an admin) who manage counters; anyone else signed in gets 403. */
function manager(event: Pick<RequestEvent, 'locals' | 'url'>) {
	const user = requireUser(event);
	if (!mayManageCounters(user.grants)) error(403, { message: m.error_forbidden() });
	return user;
}

export const load: PageServerLoad = async (event) => {
	const user = manager(event);
	const db = await getDb();
	// a kiosk link's token is shown once, in the page that answers its creation, never stored
	event.setHeaders({ 'cache-control': 'no-store' });
	return { counters: await listCounters(db, user), choices: await counterChoices(db, user) };
};

export const actions: Actions = {
	create: async (event) => {
		const user = manager(event);
		return formStep(event.request, counterForm, async (c) => {
			await createCounter(await getDb(), user, c);
			return { done: m.counter_added({ name: c.name }) };
		});
	},

	update: async (event) => {
		const user = manager(event);
		return formStep(event.request, counterChangeForm, async (c) => {
			await updateCounter(await getDb(), user, c);
			return { done: m.counter_saved({ name: c.name }) };
		});
	},

	archive: async (event) => {
		const user = manager(event);
		return formStep(event.request, counterRef, async ({ counterId }) => {
			const name = await archiveCounter(await getDb(), user, counterId);
			return { done: m.counter_archived({ name }) };
		});
	},

	kiosk: async (event) => {
		const user = manager(event);
		return formStep(event.request, kioskForm, async ({ counterId, label }) => {
			const token = await createKiosk(await getDb(), user, counterId, label);
			return { kioskLink: `${event.url.origin}/kiosk/${token}`, counterId };
		});
	},

	revoke: async (event) => {
		const user = manager(event);
		return formStep(event.request, kioskRef, async ({ kioskId }) => {
			await revokeKiosk(await getDb(), user, kioskId);
			return { done: m.counter_kiosk_revoked() };
		});
	}
};
