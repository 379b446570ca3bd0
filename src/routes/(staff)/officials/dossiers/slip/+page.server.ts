import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { isDossierCode, MAX_CODE, normalizeCode } from '$lib/dossiers/records';
import { requireArea } from '$lib/server/auth/guards';
import { config } from '$lib/server/config';
import { dossierAgencies } from '$lib/server/dossiers/permissions';
import { refuse } from '$lib/server/dossiers/refusals';
import { qrDataUrl, RATING_PATH, ratingUrl } from '$lib/server/dossiers/slip';
import { formStep } from '$lib/server/forms/step';
import type { Actions, PageServerLoad } from './$types';

const slipSchema = z.object({
	code: z
		.string({ error: () => m.dossier_rate_code_missing() })
		.transform(normalizeCode)
		.pipe(
			z
				.string()
				.min(1, { error: () => m.dossier_rate_code_missing() })
				.max(MAX_CODE, { error: () => m.common_error_too_long({ max: MAX_CODE }) })
				.refine(isDossierCode, { error: () => m.dossier_code_invalid() })
		)
});

/** Anyone at a one-stop counter (an official or approver of an agency) prints slips. */
const mayPrint = (user: Parameters<typeof dossierAgencies>[0]) => dossierAgencies(user).length > 0;

export const load: PageServerLoad = (event) => {
	const user = requireArea(event, 'officials');
	return { mayPrint: mayPrint(user) };
};

export const actions: Actions = {
	// The slip is printed before the dossier reaches this portal, so the code is not looked up.
	default: async (event) => {
		const user = requireArea(event, 'officials');
		return formStep(event.request, slipSchema, async ({ code }) => {
			if (!mayPrint(user)) throw refuse('forbidden');
			const origin = config().origin ?? event.url.origin;
			const url = ratingUrl(origin, code);
			return {
				slip: {
					code,
					url,
					shortAddress: `${new URL(origin).host}${RATING_PATH}`,
					qr: await qrDataUrl(url)
				}
			};
		});
	}
};
