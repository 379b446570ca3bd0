import type { Staff } from '$lib/auth/access';
import { audit } from '../audit';
import type { Db } from '../db';
import { apiTokenHash, newApiToken } from './codes';
import { mayManageTokens } from './permissions';
import { refuse } from './refusals';

/**
 * The per-agency tokens of POST /api/dossiers. An admin makes one for an agency's one-stop system
 * and sees it once; only its SHA-256 is kept. Revoking is immediate and final.
 */
export async function createApiToken(
	db: Db,
	staff: Staff,
	agencyId: number,
	label: string
): Promise<string> {
	if (!mayManageTokens(staff)) throw refuse('forbidden');
	const { token, hash } = newApiToken();
	await db.transaction().execute(async (trx) => {
		const row = await trx
			.insertInto('dossier_api_token')
			.values({ agency_id: agencyId, label, token_hash: hash, created_by: staff.id })
			.returning('id')
			.executeTakeFirstOrThrow();
		await audit(trx, {
			actorId: staff.id,
			action: 'dossier.token_create',
			entityType: 'dossier_api_token',
			entityId: row.id,
			details: { agency: agencyId, label }
		});
	});
	return token;
}

export async function revokeApiToken(db: Db, staff: Staff, id: number): Promise<void> {
	if (!mayManageTokens(staff)) throw refuse('forbidden');
	await db.transaction().execute(async (trx) => {
		const row = await trx
			.updateTable('dossier_api_token')
			.set({ revoked_at: new Date() })
			.where('id', '=', id)
			.where('revoked_at', 'is', null)
			.returning('id')
			.executeTakeFirst();
		if (!row) throw refuse('not_found');
		await audit(trx, {
			actorId: staff.id,
			action: 'dossier.token_revoke',
			entityType: 'dossier_api_token',
			entityId: id
		});
	});
}

export async function apiTokens(db: Db) {
	return db
		.selectFrom('dossier_api_token as t')
		.innerJoin('agency as a', 'a.id', 't.agency_id')
		.select(['t.id', 't.label', 't.created_at', 't.revoked_at', 'a.name_vi', 'a.name_en'])
		.orderBy('t.id', 'desc')
		.execute();
}

/** The live token a `Bearer` header carries, with its agency; null for anything else. */
export async function tokenFromHeader(
	db: Db,
	header: string | null
): Promise<{ id: number; agencyId: number } | null> {
	const token = /^Bearer\s+(cvd_[A-Za-z0-9_-]{20,100})\s*$/.exec(header ?? '')?.[1];
	if (!token) return null;
	const row = await db
		.selectFrom('dossier_api_token')
		.select(['id', 'agency_id'])
		.where('token_hash', '=', apiTokenHash(token))
		.where('revoked_at', 'is', null)
		.executeTakeFirst();
	return row ? { id: row.id, agencyId: row.agency_id } : null;
}
