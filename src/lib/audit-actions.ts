import { m } from '$lib/paraglide/messages';
import { eventLabel } from '$lib/questions/format';

/**
 * The audit log's action codes (`user.create`, `disclosure.publish`…) as people read them. A
 * code not in the table (an action added later) shows as itself.
 */
const ACTIONS: Record<string, () => string> = {
	'auth.sign_in': m.audit_auth_sign_in,
	'auth.sign_out': m.audit_auth_sign_out,
	'auth.sign_out_everywhere': m.audit_auth_sign_out_everywhere,
	'user.create': m.audit_user_create,
	'user.disable': m.audit_user_disable,
	'user.enable': m.audit_user_enable,
	'role.grant': m.audit_role_grant,
	'role.revoke': m.audit_role_revoke,
	'calendar.mark': m.audit_calendar_mark,
	'calendar.unmark': m.audit_calendar_unmark,
	'disclosure_type.add': m.audit_disclosure_type_add,
	'disclosure.create': m.audit_disclosure_create,
	'disclosure.save': m.audit_disclosure_save,
	'disclosure.submit': m.audit_disclosure_submit,
	'disclosure.remove_file': m.audit_disclosure_remove_file,
	'disclosure.publish': m.audit_disclosure_publish,
	'disclosure.return': m.audit_disclosure_return,
	'disclosure.correct': m.audit_disclosure_correct,
	'disclosure.withdraw': m.audit_disclosure_withdraw,
	'instrument.create': m.audit_instrument_create,
	'instrument.edit': m.audit_instrument_edit,
	'instrument.new_version': m.audit_instrument_new_version,
	'instrument.publish': m.audit_instrument_publish,
	'wave.create': m.audit_wave_create,
	'wave.open': m.audit_wave_open,
	'wave.close': m.audit_wave_close,
	'wave.invitations': m.audit_wave_invitations,
	'wave.weights': m.audit_wave_weights,
	'wave.rake': m.audit_wave_rake,
	'wave.unrake': m.audit_wave_unrake,
	'analytics.export': m.audit_analytics_export,
	'analytics.official_result': m.audit_analytics_official_result,
	'analytics.official_result_delete': m.audit_analytics_official_result_delete,
	'analytics.target': m.audit_analytics_target,
	'analytics.target_delete': m.audit_analytics_target_delete,
	'plan.create': m.audit_plan_create,
	'plan.import': m.audit_plan_import,
	'plan.status': m.audit_plan_status,
	'plan.adopt': m.audit_plan_adopt,
	'plan.task_add': m.audit_plan_task_add,
	'plan.task_status': m.audit_plan_task_status,
	'plan.report': m.audit_plan_report,
	'search_synonym.add': m.audit_search_synonym_add,
	'search_synonym.edit': m.audit_search_synonym_edit,
	'search_synonym.delete': m.audit_search_synonym_delete,
	'notification.retry': m.audit_notification_retry
};

/** The action codes named here, in the order a filter offers them (`question.*` come apart). */
export const NAMED_ACTIONS: readonly string[] = Object.keys(ACTIONS);

export function actionName(code: string): string {
	if (code.startsWith('question.')) return m.audit_question({ step: eventLabel(code.slice(9)) });
	return ACTIONS[code]?.() ?? code;
}
