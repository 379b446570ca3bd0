import { m } from '$lib/paraglide/messages';
import { refusals } from '../forms/refusal';

/** Every way an apology-letter step says "not now". */
export const refuseLetter = refusals({
	forbidden: [403, m.error_forbidden],
	not_found: [404, m.error_not_found],
	not_late: [409, m.letter_not_late],
	exists: [409, m.letter_exists],
	state: [409, m.letter_state],
	own_letter: [403, m.letter_own],
	blanks: [409, m.letter_blanks],
	not_approved: [404, m.letter_not_approved]
});
