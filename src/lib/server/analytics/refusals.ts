import { m } from '$lib/paraglide/messages';
import { refusals } from '../forms/refusal';

/** Every way an analytics step says "not now", with its status and reason, in one place. */
export const refuseAnalytics = refusals({
	not_found: [404, m.error_not_found],
	forbidden: [403, m.error_forbidden]
});
