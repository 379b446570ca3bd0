import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Hand-written to match migrations/; a database test checks the two agree. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface AppMetaTable {
	key: string;
	value: string;
	updated_at: Timestamp;
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
}

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

export interface AuditLogTable {
	id: Generated<number>;
	at: Timestamp;
	actor_user_id: string | null;
	action: string;
	entity_type: string;
	entity_id: string | null;
	details: ColumnType<Record<string, unknown>, string | undefined, never>;
}

export interface Database {
	app_meta: AppMetaTable;
	reference_dataset: ReferenceDatasetTable;
	admin_unit: AdminUnitTable;
	admin_unit_succession: AdminUnitSuccessionTable;
	agency: AgencyTable;
	app_user: AppUserTable;
	user_role: UserRoleTable;
	auth_session: AuthSessionTable;
	rate_limit: RateLimitTable;
	audit_log: AuditLogTable;
}

export type AdminUnit = Selectable<AdminUnitTable>;
export type Agency = Selectable<AgencyTable>;
export type NewAgency = Insertable<AgencyTable>;
export type AppUser = Selectable<AppUserTable>;
