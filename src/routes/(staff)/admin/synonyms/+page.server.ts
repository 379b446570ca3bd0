import { m } from '$lib/paraglide/messages';
import {
	deleteSynonyms,
	saveSynonyms,
	synonymGroups,
	synonymRef,
	synonymSchema
} from '$lib/server/admin/synonyms';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { formStep, loaded } from '$lib/server/forms/step';
import { asId } from '$lib/server/http/params';
import type { Actions, PageServerLoad } from './$types';

/** The search's synonym list; `?edit=<id>` puts one group in the form. */
export const load: PageServerLoad = async (event) => {
	requireArea(event, 'admin');
	const groups = await loaded(synonymGroups(await getDb()));
	const editId = asId(event.url.searchParams.get('edit'));
	return { groups, editing: groups.find((g) => g.id === editId) ?? null };
};

const listed = (terms: string[]) => terms.join(' = ');

export const actions: Actions = {
	save: async (event) => {
		const actor = requireArea(event, 'admin');
		return formStep(event.request, synonymSchema, async ({ id, terms }) => {
			await saveSynonyms(await getDb(), { id, terms }, actor.id);
			const said = { terms: listed(terms) };
			return { done: id === null ? m.syn_added(said) : m.syn_saved(said) };
		});
	},

	delete: async (event) => {
		const actor = requireArea(event, 'admin');
		return formStep(event.request, synonymRef, async ({ id }) => {
			const terms = await deleteSynonyms(await getDb(), id, actor.id);
			return { done: m.syn_deleted({ terms: listed(terms) }) };
		});
	}
};
