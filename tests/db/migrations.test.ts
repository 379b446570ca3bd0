import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '$lib/server/db/schema';
import { migrateToLatest } from '$lib/server/db/migrate';
import { backends, emptyDb, type TestDb } from './harness';

// What schema.ts declares, table by table; the compiler checks each name against schema.ts.
const declared: { [T in keyof Database]: (keyof Database[T] & string)[] } = {
	app_meta: ['key', 'value', 'updated_at'],
	server_secret: ['name', 'value', 'created_at'],
	dossier_api_token: [
		'id',
		'agency_id',
		'label',
		'token_hash',
		'created_by',
		'created_at',
		'revoked_at'
	],
	dossier_import: [
		'id',
		'agency_id',
		'source',
		'user_id',
		'token_id',
		'created',
		'updated',
		'imported_at'
	],
	dossier: [
		'id',
		'code_hash',
		'agency_id',
		'procedure',
		'field',
		'received_on',
		'due_on',
		'completed_on',
		'channel',
		'returned_count',
		'import_id',
		'rated',
		'handler',
		'handling_unit'
	],
	delay_list: ['agency_id', 'month', 'disclosure_id'],
	dossier_rating: [
		'id',
		'agency_id',
		'field',
		'channel',
		'month',
		'overall',
		'attitude',
		'harassed',
		'timeliness',
		'visits',
		'waiting_minutes',
		'transparency'
	],
	reference_dataset: ['name', 'source', 'licence', 'row_count', 'loaded_at'],
	admin_unit: ['id', 'code', 'name', 'level', 'parent_id', 'valid_from', 'valid_to'],
	admin_unit_succession: ['old_unit_id', 'new_unit_id', 'whole'],
	agency: ['id', 'slug', 'name_vi', 'name_en', 'kind', 'unit_id', 'parent_agency_id', 'created_at'],
	app_user: [
		'id',
		'email',
		'display_name',
		'password_hash',
		'disabled_at',
		'created_at',
		'notify_mode',
		'digest_hour',
		'lang'
	],
	user_role: ['id', 'user_id', 'role', 'agency_id', 'unit_id', 'granted_at', 'granted_by'],
	auth_session: ['id', 'user_id', 'secret_hash', 'created_at', 'last_verified_at'],
	rate_limit: ['key', 'window_start', 'hits'],
	sign_in_failure: ['key', 'failures', 'last_failure_at'],
	audit_log: ['id', 'at', 'actor_user_id', 'action', 'entity_type', 'entity_id', 'details'],
	instrument: ['id', 'slug', 'kind', 'created_at'],
	instrument_version: [
		'id',
		'instrument_id',
		'version',
		'status',
		'spec',
		'created_at',
		'created_by',
		'published_at',
		'published_by'
	],
	survey_wave: [
		'id',
		'slug',
		'instrument_version_id',
		'title_vi',
		'title_en',
		'description_vi',
		'description_en',
		'status',
		'layout',
		'access_mode',
		'results_mode',
		'agency_id',
		'opens_on',
		'closes_on',
		'target_responses',
		'created_at',
		'created_by'
	],
	survey_wave_unit: ['wave_id', 'unit_id'],
	invitation_code: ['id', 'wave_id', 'code_hash', 'batch', 'created_at'],
	invitation_tally: ['wave_id', 'batches', 'issued'],
	survey_draft: [
		'code_hash',
		'mode',
		'wave_id',
		'answers',
		'ballot',
		'submit_key',
		'updated_at',
		'expires_at'
	],
	survey_response: [
		'id',
		'wave_id',
		'instrument_version_id',
		'unit_id',
		'mode',
		'submitted_hour',
		'receipt',
		'submit_key_hash',
		'answers_digest',
		'closed_answers',
		'raked_weight',
		'counter_id',
		'field'
	],
	counter: ['id', 'agency_id', 'name', 'fields', 'wave_id', 'created_at', 'created_by'],
	counter_kiosk: [
		'id',
		'counter_id',
		'token_hash',
		'label',
		'created_at',
		'created_by',
		'revoked_at'
	],
	survey_answer: ['response_id', 'question_code', 'option_code', 'value_num', 'value_text'],
	analytics_queue: ['response_id', 'aggregated'],
	analytics_cell: [
		'wave_id',
		'grouping',
		'cell',
		'measure',
		'n',
		'w',
		'wy',
		'wy2',
		'w2',
		'w2y',
		'w2y2'
	],
	survey_wave_weight: ['wave_id', 'unit_id', 'weight', 'stratum'],
	analytics_snapshot: ['wave_id', 'responses', 'taken_at', 'variance', 'k', 'stale'],
	analytics_result: [
		'wave_id',
		'grouping',
		'cell',
		'measure',
		'n',
		'w',
		'wy',
		'w2',
		'se',
		'se_design',
		'hidden'
	],
	analytics_history: ['wave_id', 'taken_at', 'cells'],
	survey_wave_raking: [
		'wave_id',
		'source',
		'illustrative',
		'saved_at',
		'saved_by',
		'raked_at',
		'responses',
		'report'
	],
	survey_wave_margin: ['wave_id', 'position', 'variable', 'category', 'population'],
	official_result: [
		'id',
		'instrument_id',
		'unit_id',
		'year',
		'measure',
		'value',
		'source',
		'entered_by',
		'entered_at'
	],
	measure_target: ['instrument_id', 'measure', 'value', 'note'],
	calendar_day: ['day', 'working', 'reason_vi', 'reason_en'],
	deadline_rule: ['code', 'working_days', 'basis_vi', 'basis_en'],
	question_topic: ['code', 'name_vi', 'name_en', 'position'],
	question: [
		'id',
		'code',
		'access_hash',
		'topic_code',
		'unit_id',
		'requested_agency_id',
		'title',
		'body',
		'public_title',
		'public_body',
		'search_folded',
		'search',
		'status',
		'agency_id',
		'received_at',
		'clock_start',
		'due_on',
		'paused_since',
		'accepted_at',
		'answered_at',
		'rejection_reason',
		'info_request',
		'merged_into_id',
		'reopened_at',
		'rating',
		'rating_comment',
		'rated_at',
		'updated_at'
	],
	question_contact: [
		'question_id',
		'name',
		'email',
		'phone',
		'consent_at',
		'purge_after',
		'lang',
		'link_sealed',
		'stopped_at'
	],
	notification: ['id', 'kind', 'question_id', 'user_id', 'params', 'dedupe_key', 'created_at'],
	notification_delivery: [
		'id',
		'notification_id',
		'channel',
		'status',
		'attempts',
		'next_at',
		'locked_until',
		'last_error',
		'done_at'
	],
	question_pause: ['question_id', 'from_day', 'to_day'],
	question_assignment: [
		'id',
		'question_id',
		'agency_id',
		'position',
		'state',
		'assigned_at',
		'due_on',
		'answered_at',
		'on_time'
	],
	question_reply: [
		'id',
		'question_id',
		'assignment_id',
		'agency_id',
		'body_md',
		'status',
		'author_id',
		'approved_by',
		'created_at',
		'updated_at',
		'published_at'
	],
	question_event: ['id', 'question_id', 'at', 'actor_id', 'kind', 'agency_id', 'note', 'internal'],
	stored_file: ['sha256', 'size', 'mime', 'created_at'],
	question_reply_contributor: ['reply_id', 'user_id', 'first_at'],
	question_file: ['id', 'question_id', 'reply_id', 'sha256', 'name', 'uploaded_at'],
	disclosure_type: [
		'code',
		'name_vi',
		'name_en',
		'basis_vi',
		'basis_en',
		'unit_level',
		'frequency',
		'due_from',
		'due_days',
		'display_days',
		'personal_data',
		'position'
	],
	disclosure: [
		'id',
		'type_code',
		'unit_id',
		'agency_id',
		'period',
		'status',
		'first_published_at',
		'hide_after',
		'withdrawn_at',
		'withdrawn_reason',
		'search_folded',
		'search',
		'created_at',
		'updated_at'
	],
	disclosure_version: [
		'id',
		'disclosure_id',
		'number',
		'status',
		'title',
		'summary',
		'body_md',
		'effective_on',
		'change_note',
		'author_id',
		'approved_by',
		'created_at',
		'updated_at',
		'published_at'
	],
	disclosure_version_contributor: ['version_id', 'user_id', 'first_at'],
	disclosure_file: ['id', 'version_id', 'sha256', 'name', 'table_json'],
	plan: [
		'id',
		'title',
		'unit_id',
		'agency_id',
		'instrument_id',
		'year_from',
		'year_to',
		'legal_ref',
		'status',
		'report_frequency',
		'weak_below',
		'created_at',
		'adopted_on',
		'created_by',
		'adopted_by'
	],
	plan_task: [
		'id',
		'plan_id',
		'number',
		'measure_code',
		'title',
		'lead_agency_id',
		'cooperating',
		'timeline',
		'recurrence',
		'due_on',
		'target',
		'output',
		'status',
		'public',
		'created_at',
		'adopted_on'
	],
	plan_report: [
		'id',
		'task_id',
		'period',
		'percent',
		'progress',
		'links',
		'internal_note',
		'submitted_by',
		'submitted_at'
	],
	plan_report_file: ['id', 'report_id', 'sha256', 'name'],
	file_blob: ['sha256', 'size', 'chunk_size', 'created_at'],
	file_chunk: ['sha256', 'seq', 'bytes'],
	search_synonym: ['id', 'terms', 'updated_at']
};

describe.each(backends)('migrations on %s', (backend) => {
	let t: TestDb;
	beforeAll(async () => {
		t = await emptyDb(backend);
	});
	afterAll(async () => t?.close());

	it('apply from empty, then find nothing left to do', async () => {
		const first = await migrateToLatest(t.db);
		expect(first).toEqual([
			'2026-11-22-001-foundation',
			'2026-11-22-002-surveys',
			'2026-11-22-003-interviewers',
			'2026-11-22-004-analytics',
			'2026-11-22-005-analytics-context',
			'2026-11-22-006-working-days',
			'2026-11-22-007-questions',
			'2026-11-22-008-disclosures',
			'2026-11-22-009-plans',
			'2026-12-06-010-ballots',
			'2026-12-06-011-sign-in-throttle',
			'2026-12-06-012-contributors',
			'2026-12-06-013-analytics-snapshot',
			'2026-12-06-014-raking',
			'2026-12-06-015-server-secret',
			'2026-12-06-016-file-blobs',
			'2026-12-06-017-plan-adoption',
			'2026-12-06-018-search-synonyms',
			'2026-12-06-021-queue-indexes',
			'2026-12-06-022-notifications',
			'2026-12-06-023-dossiers',
			'2026-12-06-024-counters',
			'2026-12-07-026-delay-lists'
		]);
		expect(await migrateToLatest(t.db)).toEqual([]);
	});

	it('create exactly the tables and columns schema.ts declares', async () => {
		const tables = (await t.db.introspection.getTables()).filter(
			(table) => table.schema === 'public'
		);
		const actual = Object.fromEntries(
			tables.map((table) => [table.name, table.columns.map((c) => c.name).sort()])
		);
		const expected = Object.fromEntries(
			Object.entries(declared).map(([name, columns]) => [name, [...columns].sort()])
		);
		expect(actual).toEqual(expected);
	});
});
