import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Staff } from '$lib/auth/access';
import { audit } from '../audit';
import { inTransaction, type Db } from '../db';
import { sha256 } from '../surveys/codes';
import { counterAgencies, mayManageCounter } from './permissions';
import { refuseCounter } from './refusals';

export type Counter = {
	id: number;
	agencyId: number;
	agencyName: { vi: string; en: string };
	name: string;
	fields: string[];
	waveId: number;
	waveSlug: string;
	/** ratings taken at the counter so far (a count only: the answers are the analytics' to show) */
	responses: number;
	archivedAt: Date | null;
	kiosks: { id: number; label: string; createdAt: Date; revokedAt: Date | null }[];
};

/** A kiosk link's token: 32 random bytes, so a plain hash of it is enough to find it again. */
export function kioskTokenHash(token: string): Uint8Array {
	return sha256(`kiosk|${token}`);
}

/** The counters a staff member manages, with their kiosks, by agency and name. */
export async function listCounters(db: Db, staff: Staff): Promise<Counter[]> {
	const scope = counterAgencies(staff.grants);
	if (scope !== 'all' && scope.length === 0) return [];
	let q = db
		.selectFrom('counter as c')
		.innerJoin('agency as a', 'a.id', 'c.agency_id')
		.innerJoin('survey_wave as w', 'w.id', 'c.wave_id')
		.select([
			'c.id',
			'c.agency_id',
			'a.name_vi',
			'a.name_en',
			'c.name',
			'c.fields',
			'c.wave_id',
			'c.archived_at',
			'w.slug',
			(e) =>
				e
					.selectFrom('survey_response as r')
					.whereRef('r.counter_id', '=', 'c.id')
					.select((r) => r.fn.countAll<string>().as('n'))
					.as('responses')
		])
		// archived counters last: they are kept for their results only
		.orderBy(sql`c.archived_at is not null`)
		.orderBy('a.name_vi')
		.orderBy('c.name');
	if (scope !== 'all') q = q.where('c.agency_id', 'in', scope);
	const rows = await q.execute();
	const kiosks = rows.length
		? await db
				.selectFrom('counter_kiosk')
				.select(['id', 'counter_id', 'label', 'created_at', 'revoked_at'])
				.where(
					'counter_id',
					'in',
					rows.map((r) => r.id)
				)
				.orderBy('id')
				.execute()
		: [];
	return rows.map((r) => ({
		id: r.id,
		agencyId: r.agency_id,
		agencyName: { vi: r.name_vi, en: r.name_en },
		name: r.name,
		fields: r.fields,
		waveId: r.wave_id,
		waveSlug: r.slug,
		responses: Number(r.responses ?? 0),
		archivedAt: r.archived_at,
		kiosks: kiosks
			.filter((k) => k.counter_id === r.id)
			.map((k) => ({ id: k.id, label: k.label, createdAt: k.created_at, revokedAt: k.revoked_at }))
	}));
}

/** The agencies a staff member may add counters to, and the open waves each may put on them. */
export async function counterChoices(db: Db, staff: Staff) {
	const scope = counterAgencies(staff.grants);
	if (scope !== 'all' && scope.length === 0) return { agencies: [], waves: [] };
	let agencies = db.selectFrom('agency').select(['id', 'name_vi', 'name_en']).orderBy('name_vi');
	if (scope !== 'all') agencies = agencies.where('id', 'in', scope);
	let waves = db
		.selectFrom('survey_wave')
		.select(['id', 'agency_id', 'title_vi', 'title_en'])
		.where('status', '=', 'open')
		.where('access_mode', '=', 'open')
		.where('agency_id', 'is not', null)
		.orderBy('title_vi');
	if (scope !== 'all') waves = waves.where('agency_id', 'in', scope);
	return { agencies: await agencies.execute(), waves: await waves.execute() };
}

export type NewCounter = { agencyId: number; name: string; fields: string[]; waveId: number };
export type CounterChange = { counterId: number; name: string; fields: string[] };

/**
 * Adds a counter to an agency the staff member manages. Its wave must be an open-link wave of
 * the same agency, open now: the counter's instrument is the wave's published version.
 */
export async function createCounter(db: Db, staff: Staff, c: NewCounter): Promise<number> {
	if (!mayManageCounter(staff.grants, c.agencyId)) throw refuseCounter('forbidden');
	return inTransaction(db, async (trx) => {
		const wave = await trx
			.selectFrom('survey_wave')
			.select('id')
			.where('id', '=', c.waveId)
			.where('agency_id', '=', c.agencyId)
			.where('status', '=', 'open')
			.where('access_mode', '=', 'open')
			.executeTakeFirst();
		if (!wave) throw refuseCounter('wave', 'waveId');
		const { id } = await trx
			.insertInto('counter')
			.values({
				agency_id: c.agencyId,
				name: c.name,
				fields: c.fields,
				wave_id: c.waveId,
				created_by: staff.id
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await audit(trx, {
			actorId: staff.id,
			action: 'counter.create',
			entityType: 'counter',
			entityId: id,
			details: { agencyId: c.agencyId, name: c.name, fields: c.fields, waveId: c.waveId }
		});
		return id;
	});
}

/** A counter the staff member manages, refused otherwise (and when archived, unless `archived`). */
async function managedCounter(
	db: Db,
	staff: Staff,
	counterId: number,
	{ archived = false } = {}
): Promise<number> {
	const row = await db
		.selectFrom('counter')
		.select(['agency_id', 'archived_at'])
		.where('id', '=', counterId)
		.executeTakeFirst();
	if (!row) throw refuseCounter('not_found');
	if (!mayManageCounter(staff.grants, row.agency_id)) throw refuseCounter('forbidden');
	if (row.archived_at && !archived) throw refuseCounter('archived');
	return row.agency_id;
}

/**
 * Renames a counter or changes the fields it serves. Ratings already taken keep the field they
 * were given; a field no longer listed is simply not offered on the tablet any more.
 */
export async function updateCounter(db: Db, staff: Staff, c: CounterChange): Promise<void> {
	await managedCounter(db, staff, c.counterId);
	await inTransaction(db, async (trx) => {
		await trx
			.updateTable('counter')
			.set({ name: c.name, fields: c.fields })
			.where('id', '=', c.counterId)
			.execute();
		await audit(trx, {
			actorId: staff.id,
			action: 'counter.update',
			entityType: 'counter',
			entityId: c.counterId,
			details: { name: c.name, fields: c.fields }
		});
	});
}

/** Closes a counter for good: its kiosk links are revoked at once, its ratings stay counted. */
export async function archiveCounter(db: Db, staff: Staff, counterId: number): Promise<string> {
	await managedCounter(db, staff, counterId, { archived: true });
	return inTransaction(db, async (trx) => {
		const archived = await trx
			.updateTable('counter')
			.set({ archived_at: new Date() })
			.where('id', '=', counterId)
			.where('archived_at', 'is', null)
			.returning('name')
			.executeTakeFirst();
		if (!archived) throw refuseCounter('archived');
		await trx
			.updateTable('counter_kiosk')
			.set({ revoked_at: new Date() })
			.where('counter_id', '=', counterId)
			.where('revoked_at', 'is', null)
			.execute();
		await audit(trx, {
			actorId: staff.id,
			action: 'counter.archive',
			entityType: 'counter',
			entityId: counterId
		});
		return archived.name;
	});
}

/**
 * Enrols a tablet at a counter: a new kiosk link whose token is shown once (only its hash is
 * kept). Whoever holds the link can post answers as the counter, so staff open it on the
 * tablet and revoke it when the tablet is lost or replaced.
 */
export async function createKiosk(
	db: Db,
	staff: Staff,
	counterId: number,
	label: string
): Promise<string> {
	await managedCounter(db, staff, counterId);
	const token = randomBytes(32).toString('base64url');
	await inTransaction(db, async (trx) => {
		const { id } = await trx
			.insertInto('counter_kiosk')
			.values({
				counter_id: counterId,
				token_hash: kioskTokenHash(token),
				label,
				created_by: staff.id
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await audit(trx, {
			actorId: staff.id,
			action: 'counter.kiosk_create',
			entityType: 'counter_kiosk',
			entityId: id,
			details: { counterId, label }
		});
	});
	return token;
}

/** Revokes a kiosk link: the tablet holding it is refused from its next request on. */
export async function revokeKiosk(db: Db, staff: Staff, kioskId: number): Promise<void> {
	const kiosk = await db
		.selectFrom('counter_kiosk')
		.select(['counter_id', 'revoked_at'])
		.where('id', '=', kioskId)
		.executeTakeFirst();
	if (!kiosk) throw refuseCounter('not_found');
	await managedCounter(db, staff, kiosk.counter_id, { archived: true });
	if (kiosk.revoked_at) return;
	await inTransaction(db, async (trx) => {
		await trx
			.updateTable('counter_kiosk')
			.set({ revoked_at: new Date() })
			.where('id', '=', kioskId)
			.execute();
		await audit(trx, {
			actorId: staff.id,
			action: 'counter.kiosk_revoke',
			entityType: 'counter_kiosk',
			entityId: kioskId
		});
	});
}
