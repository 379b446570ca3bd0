import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { formStep, loaded } from '$lib/server/forms/step';
import { idParam } from '$lib/server/http/params';
import { approveForm, letterTextForm } from '$lib/server/letters/forms';
import { approveLetter, letterFor, saveLetter } from '$lib/server/letters/letters';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'officials');
	const id = idParam(event.params.id);
	return {
		...(await loaded(letterFor(await getDb(), user, id))),
		drafted: event.url.searchParams.has('drafted')
	};
};

export const actions: Actions = {
	save: async (event) => {
		const user = requireArea(event, 'officials');
		const id = idParam(event.params.id);
		return formStep(event.request, letterTextForm, async (text) => {
			await saveLetter(await getDb(), user, id, text);
			return { done: m.letter_saved() };
		});
	},
	approve: async (event) => {
		const user = requireArea(event, 'officials');
		const id = idParam(event.params.id);
		return formStep(event.request, approveForm, async () => {
			const state = await approveLetter(await getDb(), user, id);
			return { done: state === 'sent' ? m.letter_approved_sent() : m.letter_approved() };
		});
	}
};
