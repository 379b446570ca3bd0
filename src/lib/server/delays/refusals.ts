import { m } from '$lib/paraglide/messages';
import { refusals } from '../forms/refusal';

/** Why preparing a delay list was refused, with its status. */
export const refuse = refusals({
	forbidden: [403, m.error_forbidden],
	agency: [400, m.delays_error_agency],
	month: [400, m.delays_error_month],
	withdrawn: [409, m.delays_error_withdrawn]
});
