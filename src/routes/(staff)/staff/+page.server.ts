import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { dev } from '$app/environment';
import { areasFor } from '$lib/auth/access';
import { requireArea } from '$lib/server/auth/guards';
import { describeGrants } from '$lib/server/auth/grants';
import { deleteSessionCookie, signOutEverywhere } from '$lib/server/auth/session';
import { getDb } from '$lib/server/db';
import { formStep } from '$lib/server/forms/step';
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
		// the button sends everywhere=yes; anything else posted here is not the form
		return formStep(event.request, z.object({ everywhere: z.literal('yes') }), async () => {
			await signOutEverywhere(await getDb(), user.id);
			deleteSessionCookie(event.cookies, !dev);
			redirect(303, '/');
		});
	}
};
