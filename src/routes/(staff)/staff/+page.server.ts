import { fail, redirect } from '@sveltejs/kit';
import { dev } from '$app/environment';
import { areasFor } from '$lib/auth/access';
import { m } from '$lib/paraglide/messages';
import { audit } from '$lib/server/audit';
import { requireArea } from '$lib/server/auth/guards';
import { describeGrants } from '$lib/server/auth/grants';
import { deleteSessionCookie, invalidateUserSessions } from '$lib/server/auth/session';
import { getDb } from '$lib/server/db';
import { readForm } from '$lib/server/forms/parse';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'any');
	return {
		name: user.displayName,
		areas: areasFor(user.grants),
		grants: await describeGrants(await getDb(), user.grants)
	};
};

export const actions: Actions = {
	/** Ends every session of the signed-in person (a lost laptop, a shared computer), this one too. */
	signOutEverywhere: async (event) => {
		const user = requireArea(event, 'any');
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		// the button sends this; anything else posted here is not the form
		if (form.get('everywhere') !== 'yes') return fail(400, { message: m.error_invalid_request() });
		const db = await getDb();
		await invalidateUserSessions(db, user.id);
		await audit(db, {
			actorId: user.id,
			action: 'auth.sign_out_everywhere',
			entityType: 'user',
			entityId: user.id
		});
		deleteSessionCookie(event.cookies, !dev);
		redirect(303, '/');
	}
};
