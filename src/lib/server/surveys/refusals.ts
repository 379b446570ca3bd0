import { m } from '$lib/paraglide/messages';
import { DomainError, refusals } from '../forms/refusal';

/** Every way a survey step says "not now", with its status and reason, in one place. */
export const refuseSurvey = refusals({
	not_found: [404, m.error_not_found],
	forbidden: [403, m.error_forbidden],
	closed: [409, m.survey_closed],
	consent: [400, m.survey_consent_required],
	invitation: [400, m.survey_invitation_invalid],
	invitation_used: [409, m.survey_invitation_invalid],
	key_reused: [409, m.survey_key_reused],
	rejected: [400, m.survey_rejected],
	resume: [400, m.survey_resume_invalid],
	layout: [400, m.error_invalid_request],
	wave_state: [409, m.fw_wave_state],
	unpublished: [409, m.fw_wave_unpublished],
	slug_taken: [409, m.fw_slug_taken],
	version: [400, m.fw_wave_version_invalid],
	read_only: [403, m.fw_read_only],
	publish_state: [409, m.fw_publish_state],
	no_respondents: [409, m.fw_raking_no_respondents],
	unconfirmed: [400, m.error_invalid_request]
});

/** Too many questionnaires from one connection: try again in so many minutes. */
export const submitLimited = (retryAfterSeconds: number) =>
	new DomainError('rate_limited', 429, () =>
		m.survey_rate_limited({ minutes: Math.ceil(retryAfterSeconds / 60) })
	);

/** Unit codes that are not accepted, named beside the units field. */
export function unitsRefused(status: 400 | 403, say: () => string): DomainError {
	return new DomainError(status === 400 ? 'units_unknown' : 'units_out_of_scope', status, say, {
		units: say()
	});
}
