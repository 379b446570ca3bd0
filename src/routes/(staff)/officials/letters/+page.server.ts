import { redirect } from '@sveltejs/kit';
import { vietnamDate } from '$lib/deadlines/working-days';
import { requireArea } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { formStep } from '$lib/server/forms/step';
import { draftForm } from '$lib/server/letters/forms';
import { lateWithoutLetter } from '$lib/server/letters/late';
import { draftLetter, listLetters } from '$lib/server/letters/letters';
import { letterAgencies } from '$lib/server/letters/permissions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireArea(event, 'officials');
	const db = await getDb();
	const [late, letters] = await Promise.all([
		lateWithoutLetter(db, letterAgencies(user.grants), vietnamDate(new Date())),
		listLetters(db, user)
	]);
	return { late, letters };
};

export const actions: Actions = {
	draft: async (event) => {
		const user = requireArea(event, 'officials');
		const id = await formStep(event.request, draftForm, async ({ kind, id }) =>
			draftLetter(
				await getDb(),
				user,
				kind === 'dossier' ? { dossierId: id } : { assignmentId: id }
			)
		);
		if (typeof id !== 'number') return id;
		redirect(303, `/officials/letters/${id}?drafted`);
	}
};
