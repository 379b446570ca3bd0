import { redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { MAX_CODE } from '$lib/dossiers/records';
import { getDb } from '$lib/server/db';
import { hitRatingLimit, rateDossier, ratingSchema } from '$lib/server/dossiers/rate';
import { DomainError } from '$lib/server/forms/refusal';
import { formStep } from '$lib/server/forms/step';
import type { Actions, PageServerLoad } from './$types';

/** The receipt's QR code opens this page with the dossier code in `ma`. */
export const load: PageServerLoad = ({ url }) => ({
	code: (url.searchParams.get('ma') ?? '').trim().slice(0, MAX_CODE)
});

export const actions: Actions = {
	default: async ({ request, getClientAddress }) => {
		const outcome = await formStep(request, ratingSchema(), async (d) => {
			const db = await getDb();
			const limit = await hitRatingLimit(db, getClientAddress());
			if (limit.limited) {
				const minutes = Math.ceil(limit.retryAfterSeconds / 60);
				throw new DomainError('rate_limited', 429, () => m.dossier_rate_limited({ minutes }));
			}
			await rateDossier(db, d);
			return { rated: true as const };
		});
		// the thanks page's address carries nothing of the dossier
		if ('rated' in outcome) redirect(303, '/danh-gia/cam-on');
		return outcome;
	}
};
