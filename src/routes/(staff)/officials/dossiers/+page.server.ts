import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { importChoices, importFromForm } from '$lib/server/dossiers/import-form';
import { recentImports } from '$lib/server/dossiers/import';
import { dossierAgencies } from '$lib/server/dossiers/permissions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'officials');
	const db = await getDb();
	const [agencies, recent] = await Promise.all([
		importChoices(db, user),
		recentImports(db, dossierAgencies(user))
	]);
	return { agencies, recent };
};

export const actions: Actions = {
	preview: async (event) =>
		importFromForm(await getDb(), requireArea(event, 'officials'), event.request, true),
	import: async (event) =>
		importFromForm(await getDb(), requireArea(event, 'officials'), event.request, false)
};
