import { m } from '$lib/paraglide/messages';
import { refusals } from '../forms/refusal';

/**
 * Everything the administration of accounts, roles, the working-day calendar, the catalogue of
 * disclosure types and the search's synonym list refuses, with the status each answers with. The
 * field, when there is one, is named where the refusal is thrown.
 */
export const refuse = refusals({
	email_taken: [409, m.admin_email_taken],
	unit_unknown: [400, m.error_unit_unknown],
	grant_exists: [409, m.admin_error_grant_exists],
	grant_missing: [409, m.admin_error_grant_missing],
	user_missing: [404, m.admin_error_user_missing],
	own_account: [409, m.admin_cannot_disable_self],
	type_code_taken: [409, m.dc_error_code_taken],
	synonym_missing: [404, m.syn_error_missing],
	synonym_term_taken: [409, m.syn_error_taken]
});
