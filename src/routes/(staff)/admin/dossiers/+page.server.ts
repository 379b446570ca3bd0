import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { recentImports } from '$lib/server/dossiers/import';
import { importChoices, importFromForm } from '$lib/server/dossiers/import-form';
import { apiTokens, createApiToken, revokeApiToken } from '$lib/server/dossiers/tokens';
import { echoValues } from '$lib/server/forms/parse';
import { formStep } from '$lib/server/forms/step';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'admin');
	const db = await getDb();
	const [agencies, recent, tokens] = await Promise.all([
		importChoices(db, user),
		recentImports(db, 'all'),
		apiTokens(db)
	]);
	return { agencies, recent, tokens };
};

const tokenSchema = z.object({
	tokenAgency: z
		.string({ error: () => m.dossier_import_agency_invalid() })
		.regex(/^\d{1,9}$/, { error: () => m.dossier_import_agency_invalid() })
		.transform(Number),
	label: z
		.string({ error: () => m.dossier_token_label_invalid() })
		.trim()
		.min(1, { error: () => m.dossier_token_label_invalid() })
		.max(100, { error: () => m.dossier_token_label_invalid() })
});

const revokeSchema = z.object({
	id: z
		.string()
		.regex(/^\d{1,9}$/, { error: () => m.error_not_found() })
		.transform(Number)
});

export const actions: Actions = {
	preview: async (event) =>
		importFromForm(await getDb(), requireArea(event, 'admin'), event.request, true),
	import: async (event) =>
		importFromForm(await getDb(), requireArea(event, 'admin'), event.request, false),
	token: async (event) => {
		const user = requireArea(event, 'admin');
		return formStep(event.request, tokenSchema, async ({ tokenAgency: agency, label }, form) => {
			const db = await getDb();
			const known = await db
				.selectFrom('agency')
				.select('id')
				.where('id', '=', agency)
				.executeTakeFirst();
			if (!known)
				return fail(400, {
					values: echoValues(form),
					errors: { tokenAgency: m.dossier_import_agency_invalid() }
				});
			return { token: await createApiToken(db, user, agency, label) };
		});
	},
	revoke: async (event) => {
		const user = requireArea(event, 'admin');
		return formStep(event.request, revokeSchema, async ({ id }) => {
			await revokeApiToken(await getDb(), user, id);
			return { done: m.dossier_token_revoked() };
		});
	}
};
