import type { z } from 'zod';
import type { Role } from '$lib/auth/access';
import {
	createUser,
	grantRole,
	listUsersPage,
	revokeRole,
	setUserDisabled,
	type grantSchema,
	type NewUser,
	type UserFilter
} from '../auth/users';
import type { Db } from '../db';
import { agencies } from '../reference';
import { findUnit } from '../units/succession';
import { refuse } from './refusals';

/** What the administration page shows: a page of the accounts with their roles, the agencies. */
export async function adminOverview(db: Db, filter: UserFilter) {
	const [users, agencyChoices] = await Promise.all([listUsersPage(db, filter), agencies(db)]);
	return { users: users.rows, total: users.total, agencies: agencyChoices };
}

/** The e-mail of an account, or the refusal that it is gone. */
async function accountEmail(db: Db, userId: string): Promise<string> {
	const row = await db
		.selectFrom('app_user')
		.select('email')
		.where('id', '=', userId)
		.executeTakeFirst();
	if (!row) throw refuse('user_missing');
	return row.email;
}

export async function createAccount(db: Db, input: NewUser, actorId: string) {
	await createUser(db, input, actorId);
	return { email: input.email };
}

/** Grants a role as the form asked: the unit's code resolves to the unit in force today. */
export async function grantAsked(db: Db, asked: z.infer<typeof grantSchema>, actorId: string) {
	const email = await accountEmail(db, asked.userId);
	let unitId: number | undefined;
	if (asked.unitCode) {
		const unit = await findUnit(db, asked.unitCode, new Date().toISOString().slice(0, 10));
		if (!unit) throw refuse('unit_unknown', 'unitCode');
		unitId = unit.id;
	}
	const grant = { role: asked.role, agencyId: asked.agencyId, unitId };
	if (!(await grantRole(db, asked.userId, grant, actorId))) throw refuse('grant_exists', 'role');
	return { email, role: asked.role };
}

export async function revokeGrant(db: Db, userId: string, grantId: number, actorId: string) {
	const email = await accountEmail(db, userId);
	const grant = await db
		.selectFrom('user_role')
		.select('role')
		.where('id', '=', grantId)
		.where('user_id', '=', userId)
		.executeTakeFirst();
	if (!grant || !(await revokeRole(db, userId, grantId, actorId))) throw refuse('grant_missing');
	return { email, role: grant.role as Role };
}

/** Locks or unlocks an account; an administrator cannot lock themselves out. */
export async function setAccountDisabled(
	db: Db,
	userId: string,
	disabled: boolean,
	actorId: string
) {
	if (disabled && userId === actorId) throw refuse('own_account');
	const email = await accountEmail(db, userId);
	await setUserDisabled(db, userId, disabled, actorId);
	return { email };
}
