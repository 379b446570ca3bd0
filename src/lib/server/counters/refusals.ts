import { m } from '$lib/paraglide/messages';
import { refusals } from '../forms/refusal';

/** Every way a counter or kiosk step says "not now". */
export const refuseCounter = refusals({
	forbidden: [403, m.error_forbidden],
	not_found: [404, m.error_not_found],
	wave: [400, m.counter_wave_invalid],
	field: [400, m.kiosk_field_required],
	revoked: [403, m.kiosk_revoked],
	archived: [409, m.counter_archived_refused]
});
