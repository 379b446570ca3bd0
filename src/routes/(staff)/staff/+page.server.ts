import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { dev } from '$app/environment';
import { DUE_SOON_DAYS } from '$lib/disclosures/schedule';
import { requireArea } from '$lib/server/auth/guards';
import { describeGrants } from '$lib/server/auth/grants';
import { mayManageCounters } from '$lib/server/counters/permissions';
import { deleteSessionCookie, signOutEverywhere } from '$lib/server/auth/session';
import { getDb } from '$lib/server/db';
import { formStep } from '$lib/server/forms/step';
import { staffHome } from '$lib/server/staff/home';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'any');
	const db = await getDb();
	const [grants, work] = await Promise.all([describeGrants(db, user.grants), staffHome(db, user)]);
	return {
		name: user.displayName,
		grants,
		work,
		dueSoonDays: DUE_SOON_DAYS,
		counters: mayManageCounters(user.grants)
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
