import { m } from '$lib/paraglide/messages';
import { refusals } from '../forms/refusal';

/**
 * Why a plan step was refused, with its status: a choice the plan cannot have (a unit, an
 * instrument, a measure, a lead agency, a period outside its years) is 400 beside its field.
 */
export const refuse = refusals({
	not_found: [404, m.error_not_found],
	forbidden: [403, m.error_forbidden],
	bad_choice: [400, m.pl_error_choice],
	state: [409, m.pl_error_state]
});
