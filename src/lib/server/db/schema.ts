import type { Sums } from '$lib/analytics/cells';
import type { RakingReport } from '$lib/analytics/raking';
import type { MonthReport } from '$lib/service-index/figures';
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Hand-written to match migrations/; a database test checks the two agree. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface AppMetaTable {
	key: string;
	value: string;
	updated_at: Timestamp;
}

/** secrets the server made for itself (see migration 015), e.g. the rate-limit key */
export interface ServerSecretTable {
	name: string;
	value: string;
	created_at: Timestamp;
}

export interface ReferenceDatasetTable {
	name: string;
	source: string;
	licence: string;
	row_count: number;
	loaded_at: Timestamp;
}

export type UnitLevel = 'province' | 'district' | 'commune';

export interface AdminUnitTable {
	id: Generated<number>;
	code: string;
	name: string;
	level: UnitLevel;
	parent_id: number | null;
	/** `YYYY-MM-DD`, inclusive; null = before the records begin */
	valid_from: string | null;
	/** `YYYY-MM-DD`, exclusive; null = still in force */
	valid_to: string | null;
}

export interface AdminUnitSuccessionTable {
	old_unit_id: number;
	new_unit_id: number;
	whole: boolean;
}

export type AgencyKind =
	'province_committee' | 'department' | 'commune_committee' | 'one_stop_shop' | 'other';

export interface AgencyTable {
	id: Generated<number>;
	slug: string;
	name_vi: string;
	name_en: string;
	kind: AgencyKind;
	unit_id: number;
	parent_agency_id: number | null;
	created_at: Timestamp;
}

export interface AppUserTable {
	id: Generated<string>;
	email: string;
	display_name: string;
	password_hash: string;
	disabled_at: Date | null;
	created_at: Timestamp;
	notify_mode: Generated<NotifyMode>;
	digest_hour: Generated<number>;
	lang: Generated<'vi' | 'en'>;
}

/** how a staff member hears of their work: each step as it happens, a daily digest, or not at all */
export type NotifyMode = 'immediate' | 'digest' | 'off';

export type { Role } from '$lib/auth/access';
import type { Role } from '$lib/auth/access';

export interface UserRoleTable {
	id: Generated<number>;
	user_id: string;
	role: Role;
	agency_id: number | null;
	unit_id: number | null;
	granted_at: Timestamp;
	granted_by: string | null;
}

export interface AuthSessionTable {
	id: string;
	user_id: string;
	secret_hash: Uint8Array;
	created_at: Timestamp;
	last_verified_at: Timestamp;
}

export interface RateLimitTable {
	key: string;
	window_start: Date;
	hits: number;
}

/** Sign-in failures per hashed key, for growing delays (security/sign-in-throttle.ts). */
export interface SignInFailureTable {
	key: string;
	failures: number;
	last_failure_at: Date;
}

export interface AuditLogTable {
	id: Generated<number>;
	at: Timestamp;
	actor_user_id: string | null;
	action: string;
	entity_type: string;
	entity_id: string | null;
	details: ColumnType<Record<string, unknown>, string | undefined, never>;
}

export interface InstrumentTable {
	id: Generated<number>;
	slug: string;
	kind: 'papi' | 'sipas' | 'other';
	created_at: Timestamp;
}

export interface InstrumentVersionTable {
	id: Generated<number>;
	instrument_id: number;
	version: number;
	status: 'draft' | 'published';
	/** an InstrumentSpec; validated with zod whenever it is read or written */
	spec: ColumnType<unknown, string, string>;
	created_at: Timestamp;
	created_by: string | null;
	published_at: Date | null;
	published_by: string | null;
}

export type WaveStatus = 'draft' | 'open' | 'closed';

export interface SurveyWaveTable {
	id: Generated<number>;
	slug: string;
	instrument_version_id: number;
	title_vi: string;
	title_en: string;
	description_vi: Generated<string>;
	description_en: Generated<string>;
	status: Generated<WaveStatus>;
	layout: Generated<'paged' | 'single'>;
	access_mode: Generated<'open' | 'invitation'>;
	results_mode: Generated<'after_close' | 'live'>;
	agency_id: number | null;
	opens_on: string | null;
	closes_on: string | null;
	target_responses: number | null;
	created_at: Timestamp;
	created_by: string | null;
}

export interface SurveyWaveUnitTable {
	wave_id: number;
	unit_id: number;
}

/** An unused invitation code; using it deletes the row (see migration 010). */
export interface InvitationCodeTable {
	id: Generated<number>;
	wave_id: number;
	code_hash: Uint8Array;
	batch: number;
	created_at: Timestamp;
}

/** Per wave: codes issued and batches made, so the used count outlives the used codes. */
export interface InvitationTallyTable {
	wave_id: number;
	batches: number;
	issued: number;
}

export interface SurveyDraftTable {
	code_hash: Uint8Array;
	wave_id: number;
	answers: ColumnType<Record<string, string | string[]>, string | undefined, string>;
	/** a one-time ballot of an invitation wave, issued when the code was used up */
	ballot: Generated<boolean>;
	submit_key: string;
	mode: Generated<'web' | 'interviewer'>;
	updated_at: Timestamp;
	expires_at: Date;
}

export interface SurveyResponseTable {
	id: Generated<string>;
	wave_id: number;
	instrument_version_id: number;
	unit_id: number | null;
	mode: 'web' | 'interviewer';
	submitted_hour: Date;
	receipt: string;
	submit_key_hash: Uint8Array;
	answers_digest: Uint8Array;
	/** "question=option&…", closed answers only, for the microdata export */
	closed_answers: Generated<string>;
	/** the final weight of the wave's last raking; null: the design weight applies */
	raked_weight: Generated<number | null>;
	/** the counter whose kiosk took the response, and the field chosen there (both or neither) */
	counter_id: Generated<number | null>;
	field: Generated<string | null>;
}

/** A counter (quầy) of a one-stop shop: its fields and the wave its kiosk shows. */
export interface CounterTable {
	id: Generated<number>;
	agency_id: number;
	name: string;
	fields: string[];
	wave_id: number;
	created_at: Generated<Date>;
	created_by: string | null;
	/** when the counter closed for good: its kiosks revoked, its ratings kept */
	archived_at: Date | null;
}

/** A tablet's enrolment at a counter: the hash of its link's token, until revoked. */
export interface CounterKioskTable {
	id: Generated<number>;
	counter_id: number;
	token_hash: Uint8Array;
	label: Generated<string>;
	created_at: Generated<Date>;
	created_by: string | null;
	revoked_at: Date | null;
}

export interface SurveyAnswerTable {
	response_id: string;
	question_code: string;
	option_code: string | null;
	value_num: number | null;
	value_text: string | null;
}

export interface AnalyticsQueueTable {
	response_id: string;
	/** already in the working sums; stays queued until a snapshot holds it */
	aggregated: Generated<boolean>;
}

/** Sums over one group's respondents for one measure (see migration 004). */
export type AnalyticsCellTable = {
	wave_id: number;
	grouping: string;
	cell: string;
	measure: string;
} & Sums;

export interface SurveyWaveWeightTable {
	wave_id: number;
	unit_id: number;
	weight: number;
	stratum: Generated<string>;
}

/** A wave's published snapshot (see migration 013). */
export interface AnalyticsSnapshotTable {
	wave_id: number;
	responses: number;
	taken_at: Date;
	variance: 'individual' | 'designed';
	k: number;
	stale: Generated<boolean>;
}

export interface AnalyticsResultTable {
	wave_id: number;
	grouping: string;
	cell: string;
	measure: string;
	n: number;
	w: number;
	wy: number;
	w2: number;
	se: number | null;
	se_design: number | null;
	hidden: string | null;
}

export interface AnalyticsHistoryTable {
	wave_id: number;
	taken_at: Date;
	cells: Buffer;
}

/** A wave's population margins (their source) and the report of its raking (migration 014). */
export interface SurveyWaveRakingTable {
	wave_id: number;
	source: string;
	illustrative: boolean;
	saved_at: Generated<Date>;
	saved_by: string | null;
	/** null (with responses and report) when the design weights changed since the raking */
	raked_at: Date | null;
	/** responses raked */
	responses: number | null;
	/** RakingReport (src/lib/analytics/raking.ts) */
	report: ColumnType<RakingReport | null, string | null, string | null>;
}

export interface SurveyWaveMarginTable {
	wave_id: number;
	/** order as the analyst typed them */
	position: number;
	variable: string;
	category: string;
	population: number;
}

export interface OfficialResultTable {
	id: Generated<number>;
	instrument_id: number;
	unit_id: number;
	year: number;
	measure: string;
	value: number;
	source: Generated<string>;
	entered_by: string | null;
	entered_at: Timestamp;
}

export interface MeasureTargetTable {
	instrument_id: number;
	measure: string;
	value: number;
	note: Generated<string>;
}

/** A date that departs from the weekend rule (see migration 006). */
export interface CalendarDayTable {
	day: ColumnType<string, string, string>;
	working: boolean;
	reason_vi: string;
	reason_en: string;
}

export interface DeadlineRuleTable {
	code: string;
	working_days: number;
	basis_vi: string;
	basis_en: string;
}

export type QuestionStatus =
	'pending' | 'needs_info' | 'rejected' | 'merged' | 'assigned' | 'answered';
export type QuestionRating = 'satisfied' | 'unsatisfied';
type DateColumn = ColumnType<string, string, string>;

export interface QuestionTopicTable {
	code: string;
	name_vi: string;
	name_en: string;
	position: number;
}

/** A citizen's question (see migration 007); title/body as asked, public_* as published. */
export interface QuestionTable {
	id: Generated<number>;
	code: string;
	access_hash: string;
	topic_code: string;
	unit_id: number;
	requested_agency_id: number | null;
	title: string;
	body: string;
	public_title: string;
	public_body: string;
	search_folded: Generated<string>;
	search: ColumnType<string, never, never>;
	status: QuestionStatus;
	agency_id: number | null;
	received_at: Timestamp;
	clock_start: DateColumn;
	due_on: ColumnType<string | null, string | null | undefined, string | null>;
	paused_since: ColumnType<string | null, string | null | undefined, string | null>;
	accepted_at: Date | null;
	answered_at: Date | null;
	rejection_reason: string | null;
	info_request: string | null;
	merged_into_id: number | null;
	reopened_at: Date | null;
	rating: QuestionRating | null;
	rating_comment: string | null;
	rated_at: Date | null;
	updated_at: Timestamp;
}

export interface QuestionContactTable {
	question_id: number;
	name: string | null;
	email: string | null;
	phone: string | null;
	consent_at: Date | null;
	purge_after: Date | string;
	lang: Generated<'vi' | 'en'>;
	/** the private link's token sealed with the server's key (notify/seal.ts) */
	link_sealed: string | null;
	stopped_at: Date | null;
}

export interface NotificationTable {
	id: Generated<string>;
	kind: string;
	question_id: number | null;
	user_id: string | null;
	/** migration 029: a dossier's applicant (through dossier_contact) */
	dossier_id: ColumnType<number | null, number | null | undefined, number | null>;
	/** what the message says beyond what is read at sending (a reason, a count), as JSON */
	params: ColumnType<Record<string, unknown>, string | undefined, never>;
	dedupe_key: string | null;
	created_at: Generated<Date>;
}

export type DeliveryChannel = 'email' | 'webhook';
export type DeliveryStatus = 'pending' | 'sent' | 'dropped' | 'dead';

export interface NotificationDeliveryTable {
	id: Generated<string>;
	notification_id: string;
	channel: DeliveryChannel;
	status: Generated<DeliveryStatus>;
	attempts: Generated<number>;
	next_at: Generated<Date>;
	locked_until: Date | null;
	last_error: string | null;
	done_at: Date | null;
}

export interface QuestionPauseTable {
	question_id: number;
	from_day: DateColumn;
	to_day: DateColumn;
}

export type AssignmentState = 'queued' | 'active' | 'answered' | 'transferred';

export interface QuestionAssignmentTable {
	id: Generated<number>;
	question_id: number;
	agency_id: number;
	position: number;
	state: AssignmentState;
	assigned_at: Date | null;
	due_on: ColumnType<string | null, string | null | undefined, string | null>;
	answered_at: Date | null;
	on_time: boolean | null;
}

export type ReplyStatus = 'draft' | 'submitted' | 'published';

export interface QuestionReplyTable {
	id: Generated<number>;
	question_id: number;
	assignment_id: number;
	agency_id: number;
	body_md: string;
	status: ReplyStatus;
	author_id: string;
	approved_by: string | null;
	created_at: Timestamp;
	updated_at: Timestamp;
	published_at: Date | null;
}

/** Everyone who created, saved or attached files to a reply draft: none of them may approve it. */
export interface QuestionReplyContributorTable {
	reply_id: number;
	user_id: string;
	first_at: Timestamp;
}

export interface QuestionEventTable {
	id: Generated<string>;
	question_id: number;
	at: Timestamp;
	actor_id: string | null;
	kind: string;
	agency_id: number | null;
	note: string | null;
	internal: boolean;
}

export interface StoredFileTable {
	sha256: string;
	size: number;
	mime: string;
	created_at: Timestamp;
}

/** The bytes of a stored file in the database store (see files/database-store.ts). */
export interface FileBlobTable {
	sha256: string;
	size: number;
	chunk_size: number;
	created_at: Timestamp;
}

/** A group of terms the public search treats as one (migration 018); terms as typed. */
export interface SearchSynonymTable {
	id: Generated<number>;
	terms: ColumnType<string[], string, string>;
	updated_at: Timestamp;
}

/** Chunk `seq` (from 0) of a blob: bytes [seq * chunk_size, (seq + 1) * chunk_size). */
export interface FileChunkTable {
	sha256: string;
	seq: number;
	bytes: Uint8Array;
}

export interface QuestionFileTable {
	id: Generated<number>;
	question_id: number;
	reply_id: number | null;
	sha256: string;
	name: string;
	uploaded_at: Timestamp;
}

export type DisclosureFrequency = 'once' | 'yearly' | 'quarterly' | 'on_change';

export interface DisclosureTypeTable {
	code: string;
	name_vi: string;
	name_en: string;
	basis_vi: string;
	basis_en: string;
	unit_level: 'province' | 'commune' | 'any';
	frequency: DisclosureFrequency;
	due_from: 'start' | 'end' | null;
	due_days: number | null;
	display_days: number | null;
	personal_data: Generated<boolean>;
	position: number;
}

export type DisclosureStatus = 'draft' | 'published' | 'withdrawn';

export interface DisclosureTable {
	id: Generated<number>;
	type_code: string;
	unit_id: number;
	agency_id: number;
	period: string | null;
	status: DisclosureStatus;
	first_published_at: Date | null;
	hide_after: ColumnType<string | null, string | null | undefined, string | null>;
	withdrawn_at: Date | null;
	withdrawn_reason: string | null;
	search_folded: Generated<string>;
	search: ColumnType<string, never, never>;
	created_at: Timestamp;
	updated_at: Timestamp;
}

export type DisclosureVersionStatus = 'draft' | 'submitted' | 'published' | 'superseded';

export interface DisclosureVersionTable {
	id: Generated<number>;
	disclosure_id: number;
	number: number;
	status: DisclosureVersionStatus;
	title: string;
	summary: string;
	body_md: string;
	effective_on: ColumnType<string, string, string>;
	change_note: string | null;
	author_id: string;
	approved_by: string | null;
	created_at: Timestamp;
	updated_at: Timestamp;
	published_at: Date | null;
}

/** Everyone who wrote or changed a version's text or files: none of them may approve it. */
export interface DisclosureVersionContributorTable {
	version_id: number;
	user_id: string;
	first_at: Timestamp;
}

export interface DisclosureFileTable {
	id: Generated<number>;
	version_id: number;
	sha256: string;
	name: string;
	table_json: string | null;
}

export interface PlanTable {
	id: Generated<number>;
	title: string;
	unit_id: number;
	agency_id: number;
	instrument_id: number;
	year_from: number;
	year_to: number;
	legal_ref: Generated<string>;
	/** a new plan is a draft (migration 017) until an approver of its agency makes it public */
	status: ColumnType<PlanStatus, PlanStatus | undefined, PlanStatus>;
	report_frequency: 'quarterly' | 'half_yearly' | 'yearly';
	weak_below: Generated<number>;
	created_at: Timestamp;
	/** `YYYY-MM-DD`, the day it was first made public: reporting duties start with its period */
	adopted_on: ColumnType<string | null, string | null | undefined, string | null>;
	created_by: ColumnType<string | null, string | null | undefined, string | null>;
	adopted_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export type PlanStatus = 'draft' | 'active' | 'closed';

export type TaskRecurrence = 'once' | 'continuous' | 'monthly' | 'quarterly' | 'yearly';
export type TaskStatus = 'not_started' | 'in_progress' | 'done' | 'cancelled';

export interface PlanTaskTable {
	id: Generated<number>;
	plan_id: number;
	number: Generated<string>;
	measure_code: string | null;
	title: string;
	lead_agency_id: number;
	cooperating: Generated<string>;
	timeline: Generated<string>;
	recurrence: TaskRecurrence;
	due_on: ColumnType<string | null, string | null | undefined, string | null>;
	target: Generated<string>;
	output: Generated<string>;
	status: TaskStatus;
	public: Generated<boolean>;
	created_at: Timestamp;
	/** `YYYY-MM-DD`: the plan's adoption, or the day the task was added to an adopted plan */
	adopted_on: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface PlanReportTable {
	id: Generated<number>;
	task_id: number;
	period: string;
	percent: number;
	progress: string;
	links: Generated<string>;
	internal_note: Generated<string>;
	submitted_by: string;
	submitted_at: Timestamp;
}

export interface PlanReportFileTable {
	id: Generated<number>;
	report_id: number;
	sha256: string;
	name: string;
}

/** migration 023: a per-agency token of the dossier endpoint, kept as its SHA-256 */
export interface DossierApiTokenTable {
	id: Generated<number>;
	agency_id: number;
	label: string;
	token_hash: string;
	created_by: string | null;
	created_at: Timestamp;
	revoked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface DossierImportTable {
	id: Generated<number>;
	agency_id: number;
	source: 'csv' | 'api';
	user_id: string | null;
	token_id: number | null;
	created: number;
	updated: number;
	imported_at: Timestamp;
}

export type DossierChannel = 'online' | 'offline';

/** a dossier of a one-stop shop: its code only as an HMAC (src/lib/server/dossiers/codes.ts) */
export interface DossierTable {
	id: Generated<number>;
	code_hash: string;
	agency_id: number;
	procedure: string;
	field: string;
	received_on: DateColumn;
	due_on: ColumnType<string | null, string | null | undefined, string | null>;
	completed_on: ColumnType<string | null, string | null | undefined, string | null>;
	channel: DossierChannel;
	returned_count: Generated<number>;
	import_id: number;
	rated: Generated<boolean>;
	/** the handling official's name and unit, as the one-stop system exports them (optional) */
	handler: ColumnType<string | null, string | null | undefined, string | null>;
	handling_unit: ColumnType<string | null, string | null | undefined, string | null>;
}

/** migration 029: the applicant's contact from the one-stop system's export, kept for a time */
export interface DossierContactTable {
	dossier_id: number;
	email: string | null;
	phone: string | null;
	purge_after: Date;
}

/** which disclosure holds the delay list of an agency's month (one per agency and month) */
export interface DelayListTable {
	agency_id: number;
	month: DateColumn;
	disclosure_id: number;
}

/** migration 025: an apology letter for a late dossier or a late answer to a question turn */
export type LetterState = 'draft' | 'approved' | 'sent';

export interface ApologyLetterTable {
	id: Generated<number>;
	agency_id: number;
	/** exactly one of the dossier and the question turn */
	dossier_id: number | null;
	assignment_id: number | null;
	addressee: Generated<string>;
	place: Generated<string>;
	body: string;
	signer_title: Generated<string>;
	signer_name: Generated<string>;
	state: Generated<LetterState>;
	drafted_by: string | null;
	drafted_at: Timestamp;
	updated_by: string | null;
	updated_at: Timestamp;
	approved_by: string | null;
	approved_at: Date | null;
	printed_at: Date | null;
	sent_at: Date | null;
}

export type Timeliness = 'early' | 'on_time' | 'late';

/** a citizen's rating of a dossier: its agency, field, channel and month, never the dossier */
export interface DossierRatingTable {
	id: Generated<string>;
	agency_id: number;
	field: string;
	channel: DossierChannel;
	month: DateColumn;
	overall: number;
	attitude: number;
	harassed: boolean;
	timeliness: Timeliness;
	visits: number;
	waiting_minutes: number;
	transparency: number;
}

/** migration 027: a closed month's Decision 766 figures as published (src/lib/server/service-index) */
export interface ServiceIndexMonthTable {
	month: DateColumn;
	k: number;
	report: ColumnType<MonthReport, string, string>;
	frozen_at: Timestamp;
}

export interface Database {
	app_meta: AppMetaTable;
	server_secret: ServerSecretTable;
	reference_dataset: ReferenceDatasetTable;
	admin_unit: AdminUnitTable;
	admin_unit_succession: AdminUnitSuccessionTable;
	agency: AgencyTable;
	app_user: AppUserTable;
	user_role: UserRoleTable;
	auth_session: AuthSessionTable;
	rate_limit: RateLimitTable;
	sign_in_failure: SignInFailureTable;
	audit_log: AuditLogTable;
	instrument: InstrumentTable;
	instrument_version: InstrumentVersionTable;
	survey_wave: SurveyWaveTable;
	survey_wave_unit: SurveyWaveUnitTable;
	invitation_code: InvitationCodeTable;
	invitation_tally: InvitationTallyTable;
	survey_draft: SurveyDraftTable;
	survey_response: SurveyResponseTable;
	counter: CounterTable;
	counter_kiosk: CounterKioskTable;
	survey_answer: SurveyAnswerTable;
	analytics_queue: AnalyticsQueueTable;
	analytics_cell: AnalyticsCellTable;
	analytics_snapshot: AnalyticsSnapshotTable;
	analytics_result: AnalyticsResultTable;
	analytics_history: AnalyticsHistoryTable;
	survey_wave_weight: SurveyWaveWeightTable;
	survey_wave_raking: SurveyWaveRakingTable;
	survey_wave_margin: SurveyWaveMarginTable;
	official_result: OfficialResultTable;
	measure_target: MeasureTargetTable;
	calendar_day: CalendarDayTable;
	deadline_rule: DeadlineRuleTable;
	question_topic: QuestionTopicTable;
	question: QuestionTable;
	question_contact: QuestionContactTable;
	notification: NotificationTable;
	notification_delivery: NotificationDeliveryTable;
	question_pause: QuestionPauseTable;
	question_assignment: QuestionAssignmentTable;
	question_reply: QuestionReplyTable;
	question_reply_contributor: QuestionReplyContributorTable;
	question_event: QuestionEventTable;
	stored_file: StoredFileTable;
	file_blob: FileBlobTable;
	file_chunk: FileChunkTable;
	search_synonym: SearchSynonymTable;
	question_file: QuestionFileTable;
	disclosure_type: DisclosureTypeTable;
	disclosure: DisclosureTable;
	disclosure_version: DisclosureVersionTable;
	disclosure_version_contributor: DisclosureVersionContributorTable;
	disclosure_file: DisclosureFileTable;
	plan: PlanTable;
	plan_task: PlanTaskTable;
	plan_report: PlanReportTable;
	plan_report_file: PlanReportFileTable;
	dossier_api_token: DossierApiTokenTable;
	dossier_import: DossierImportTable;
	dossier: DossierTable;
	dossier_rating: DossierRatingTable;
	dossier_contact: DossierContactTable;
	service_index_month: ServiceIndexMonthTable;
	apology_letter: ApologyLetterTable;
	delay_list: DelayListTable;
}

export type AdminUnit = Selectable<AdminUnitTable>;
export type Agency = Selectable<AgencyTable>;
export type NewAgency = Insertable<AgencyTable>;
export type AppUser = Selectable<AppUserTable>;
