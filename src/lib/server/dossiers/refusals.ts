import { m } from '$lib/paraglide/messages';
import { refusals } from '../forms/refusal';

/** Why a dossier step was refused, with its status. */
export const refuse = refusals({
	not_found: [404, m.error_not_found],
	forbidden: [403, m.error_forbidden],
	unknown_code: [404, m.dossier_rate_unknown],
	already_rated: [409, m.dossier_rate_already]
});
