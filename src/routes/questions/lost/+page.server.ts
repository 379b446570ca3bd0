import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { getDb } from '$lib/server/db';
import { DomainError } from '$lib/server/forms/refusal';
import { formStep } from '$lib/server/forms/step';
import { hitLostLinkLimit, resendLink } from '$lib/server/questions/lost-link';
import type { Actions } from './$types';

const lostSchema = z.object({
	code: z
		.string({ error: () => m.qa_lost_error_code() })
		.trim()
		.toUpperCase()
		.regex(/^HD-[0-9A-Z]{4}-[0-9A-Z]{4}$/, { error: () => m.qa_lost_error_code() }),
	contact: z
		.string({ error: () => m.qa_lost_error_contact() })
		.trim()
		.max(200, { error: () => m.common_error_too_long({ max: 200 }) })
		.refine((v) => /^[^\s@]+@[^\s@]+$/.test(v) || v.replace(/\D/g, '').length >= 8, {
			error: () => m.qa_lost_error_contact()
		})
});

export const actions: Actions = {
	/** The same answer whether or not the code and contact belong together. */
	default: ({ request, getClientAddress }) =>
		formStep(request, lostSchema, async (d) => {
			const db = await getDb();
			const limit = await hitLostLinkLimit(db, getClientAddress());
			if (limit.limited) {
				const minutes = Math.ceil(limit.retryAfterSeconds / 60);
				throw new DomainError('rate_limited', 429, () => m.qa_lost_rate_limited({ minutes }));
			}
			await resendLink(db, d.code, d.contact);
			return { done: m.qa_lost_done() };
		})
};
