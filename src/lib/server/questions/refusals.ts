import { m } from '$lib/paraglide/messages';
import { refusals } from '../forms/refusal';

/**
 * Why a step on a question was refused, once for the whole feature: each code answers with the
 * same status and reason wherever it is thrown (staff case page, the asker's tracking page).
 */
export const refuseCase = refusals({
	not_found: [404, m.error_not_found],
	forbidden: [403, m.error_forbidden],
	state: [409, m.common_error_state],
	own_draft: [409, m.common_error_own_draft],
	changed: [409, m.common_error_changed_since_review],
	same_agency: [409, m.qa_error_same_agency],
	merge_target: [409, m.qa_error_merge_target],
	bad_choice: [400, m.common_error_choice]
});

export type CaseRefusal = Parameters<typeof refuseCase>[0];

/**
 * The asker's own steps: the private link that leads nowhere says so in the asker's words; a
 * question whose hidden field a bot filled is refused as a whole.
 */
export const refuseAsker = refusals({
	rejected: [400, m.qa_rejected],
	not_found: [404, m.qa_track_not_found],
	state: [409, m.common_error_state]
});
