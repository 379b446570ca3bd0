import { sql } from 'kysely';
import { z } from 'zod';
import { AGENCY_ROLES, ROLES, type Grant, type Role } from '$lib/auth/access';
import { m } from '$lib/paraglide/messages';
import { refuse } from '../admin/refusals';
import { audit } from '../audit';
import { inTransaction, type Db } from '../db';
import { MIN_PASSWORD_LENGTH } from '$lib/auth/policy';
import { PAGE_SIZE, pageOffset } from '$lib/lists';
import { hashPassword } from './password';
import { invalidateUserSessions } from './session';

export function normalizeEmail(email: string): string {
	return email.trim().toLowerCase();
}

// Messages are functions so that they are rendered in the language of the request being parsed.
export const newUserSchema = z.object({
	email: z
		.string({ error: () => m.error_required() })
		.trim()
		.toLowerCase()
		.pipe(z.email({ error: () => m.error_email_invalid() })),
	displayName: z
		.string({ error: () => m.error_required() })
		.trim()
		.min(1, { error: () => m.error_required() })
		.max(120),
	password: z
		.string({ error: () => m.error_required() })
		.min(MIN_PASSWORD_LENGTH, { error: () => m.error_password_short({ min: MIN_PASSWORD_LENGTH }) })
		.max(200)
});
export type NewUser = z.infer<typeof newUserSchema>;

export async function createUser(db: Db, input: NewUser, actorId: string | null): Promise<string> {
	const passwordHash = await hashPassword(input.password);
	return inTransaction(db, async (trx) => {
		const existing = await trx
			.selectFrom('app_user')
			.select('id')
			.where('email', '=', normalizeEmail(input.email))
			.executeTakeFirst();
		if (existing) throw refuse('email_taken', 'email');
		const { id } = await trx
			.insertInto('app_user')
			.values({
				email: normalizeEmail(input.email),
				display_name: input.displayName,
				password_hash: passwordHash
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await audit(trx, {
			actorId,
			action: 'user.create',
			entityType: 'user',
			entityId: id,
			details: { email: normalizeEmail(input.email) }
		});
		return id;
	});
}

export async function findUserForSignIn(db: Db, email: string) {
	return db
		.selectFrom('app_user')
		.select(['id', 'password_hash', 'disabled_at'])
		.where('email', '=', normalizeEmail(email))
		.executeTakeFirst();
}

/**
 * The grant form: a role, the agency of an official or approver, and for the roles scoped to a
 * place the official code of a unit in force (empty: every unit), resolved when the grant is made.
 */
export const grantSchema = z
	.object({
		userId: z.uuid({ error: () => m.error_invalid_request() }),
		role: z.enum(ROLES, { error: () => m.error_required() }),
		agencyId: z.preprocess(
			(v) => (v === '' ? undefined : v),
			z.coerce.number().int().positive().optional()
		),
		unitCode: z
			.string()
			.trim()
			.regex(/^\d{0,12}$/, { error: () => m.error_unit_unknown() })
			.default('')
	})
	.superRefine((g, ctx) => {
		if (AGENCY_ROLES.includes(g.role) && !g.agencyId)
			ctx.addIssue({ code: 'custom', path: ['agencyId'], message: m.error_agency_required() });
		if (!AGENCY_ROLES.includes(g.role) && g.agencyId)
			ctx.addIssue({
				code: 'custom',
				path: ['agencyId'],
				message: m.error_agency_only_for_official()
			});
		if (g.role !== 'analyst' && g.role !== 'interviewer' && g.role !== 'microdata' && g.unitCode)
			ctx.addIssue({
				code: 'custom',
				path: ['unitCode'],
				message: m.error_unit_only_for_analyst()
			});
	});
export type GrantInput = { role: Role; agencyId?: number | undefined; unitId?: number | undefined };

export async function grantRole(
	db: Db,
	userId: string,
	grant: GrantInput,
	actorId: string
): Promise<boolean> {
	return inTransaction(db, async (trx) => {
		const inserted = await trx
			.insertInto('user_role')
			.values({
				user_id: userId,
				role: grant.role,
				agency_id: grant.agencyId ?? null,
				unit_id: grant.unitId ?? null,
				granted_by: actorId
			})
			.onConflict((oc) => oc.doNothing())
			.returning('id')
			.executeTakeFirst();
		if (!inserted) return false;
		await audit(trx, {
			actorId,
			action: 'role.grant',
			entityType: 'user',
			entityId: userId,
			details: { grantId: inserted.id, ...grant }
		});
		return true;
	});
}

export async function revokeRole(
	db: Db,
	userId: string,
	grantId: number,
	actorId: string
): Promise<boolean> {
	return inTransaction(db, async (trx) => {
		const removed = await trx
			.deleteFrom('user_role')
			.where('id', '=', grantId)
			.where('user_id', '=', userId)
			.returning(['role', 'agency_id', 'unit_id'])
			.executeTakeFirst();
		if (!removed) return false;
		await audit(trx, {
			actorId,
			action: 'role.revoke',
			entityType: 'user',
			entityId: userId,
			details: { grantId, role: removed.role, agencyId: removed.agency_id, unitId: removed.unit_id }
		});
		return true;
	});
}

/** Disabling ends every session of the account at once; enabling lets it sign in again. */
export async function setUserDisabled(
	db: Db,
	userId: string,
	disabled: boolean,
	actorId: string
): Promise<boolean> {
	return inTransaction(db, async (trx) => {
		const updated = await trx
			.updateTable('app_user')
			.set({ disabled_at: disabled ? new Date() : null })
			.where('id', '=', userId)
			.returning('id')
			.executeTakeFirst();
		if (!updated) return false;
		if (disabled) await invalidateUserSessions(trx, userId);
		await audit(trx, {
			actorId,
			action: disabled ? 'user.disable' : 'user.enable',
			entityType: 'user',
			entityId: userId
		});
		return true;
	});
}

export type UserListItem = {
	id: string;
	email: string;
	displayName: string;
	disabled: boolean;
	grants: (Grant & { id: number; agencyName: string | null; unitName: string | null })[];
};

export async function listUsers(db: Db): Promise<UserListItem[]> {
	const users = await db
		.selectFrom('app_user')
		.select(['id', 'email', 'display_name', 'disabled_at'])
		.orderBy('email')
		.execute();
	return withGrants(db, users);
}

/** What narrows the account list: words of the e-mail or name, a role held. */
export type UserFilter = { q?: string; role?: Role | null; page?: number };

/**
 * One page of the accounts matching the filter, the newest first (an account just created
 * is at the top), and how many match.
 */
export async function listUsersPage(db: Db, f: UserFilter, size = PAGE_SIZE) {
	const words = (f.q ?? '').trim().toLowerCase();
	const base = db
		.selectFrom('app_user as u')
		.$if(words !== '', (qb) =>
			qb.where((eb) =>
				eb.or([
					sql<boolean>`strpos(lower(u.email), ${words}) > 0`,
					sql<boolean>`strpos(lower(u.display_name), ${words}) > 0`
				])
			)
		)
		.$if(!!f.role, (qb) =>
			qb.where((eb) =>
				eb.exists(
					eb
						.selectFrom('user_role as r')
						.select('r.id')
						.whereRef('r.user_id', '=', 'u.id')
						.where('r.role', '=', f.role!)
				)
			)
		);
	const [users, total] = await Promise.all([
		base
			.select(['u.id', 'u.email', 'u.display_name', 'u.disabled_at'])
			.orderBy('u.created_at', 'desc')
			.orderBy('u.email')
			.limit(size)
			.offset(pageOffset(f.page ?? 1, size))
			.execute(),
		base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
	]);
	return { rows: await withGrants(db, users), total: Number(total.n) };
}

async function withGrants(
	db: Db,
	users: { id: string; email: string; display_name: string; disabled_at: Date | null }[]
): Promise<UserListItem[]> {
	if (users.length === 0) return [];
	const grants = await db
		.selectFrom('user_role')
		.leftJoin('agency', 'agency.id', 'user_role.agency_id')
		.leftJoin('admin_unit', 'admin_unit.id', 'user_role.unit_id')
		.select([
			'user_role.id',
			'user_role.user_id',
			'user_role.role',
			'user_role.agency_id',
			'user_role.unit_id',
			'agency.name_vi as agency_name',
			'admin_unit.name as unit_name'
		])
		.where(
			'user_role.user_id',
			'in',
			users.map((u) => u.id)
		)
		.orderBy('user_role.id')
		.execute();
	return users.map((u) => ({
		id: u.id,
		email: u.email,
		displayName: u.display_name,
		disabled: u.disabled_at !== null,
		grants: grants
			.filter((g) => g.user_id === u.id)
			.map((g) => ({
				id: g.id,
				role: g.role as Role,
				agencyId: g.agency_id,
				unitId: g.unit_id,
				agencyName: g.agency_name,
				unitName: g.unit_name
			}))
	}));
}

/**
 * Creates the first administrator of a production database (BOOTSTRAP_ADMIN_EMAIL/PASSWORD);
 * does nothing when an account with that e-mail exists, so a changed password is never reset.
 */
export async function ensureAdmin(db: Db, email: string, password: string): Promise<boolean> {
	const existing = await findUserForSignIn(db, email);
	if (existing) return false;
	const id = await createUser(db, { email, displayName: 'Administrator', password }, null);
	await db.insertInto('user_role').values({ user_id: id, role: 'admin' }).execute();
	await audit(db, {
		actorId: null,
		action: 'role.grant',
		entityType: 'user',
		entityId: id,
		details: { role: 'admin', bootstrap: true }
	});
	return true;
}

/** Whether any account that is not disabled holds the admin role. */
export async function hasActiveAdmin(db: Db): Promise<boolean> {
	const row = await db
		.selectFrom('user_role')
		.innerJoin('app_user', 'app_user.id', 'user_role.user_id')
		.where('user_role.role', '=', 'admin')
		.where('app_user.disabled_at', 'is', null)
		.select('user_role.user_id')
		.limit(1)
		.executeTakeFirst();
	return !!row;
}
