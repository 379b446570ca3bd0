import type { Grant, Staff } from '$lib/auth/access';
import type { Db } from '$lib/server/db';
import type { NewAgency } from '$lib/server/db/schema';
import { askQuestion } from '$lib/server/questions/ask';
import { acceptQuestion } from '$lib/server/questions/cases';
import { DEPLOYMENT_UNIT_KEY } from '$lib/server/units/deployment';

/** A province (the deployment's) with one commune, as the Q&A and disclosure tests need them. */
export async function provinceWithCommune(db: Db) {
	const province = await db
		.insertInto('admin_unit')
		.values({ code: '08', name: 'Tỉnh Tuyên Quang', level: 'province', valid_from: '2025-07-01' })
		.returning('id')
		.executeTakeFirstOrThrow();
	const commune = await db
		.insertInto('admin_unit')
		.values({
			code: '00913',
			name: 'Xã Vị Xuyên',
			level: 'commune',
			parent_id: province.id,
			valid_from: '2025-07-01'
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	await db
		.insertInto('app_meta')
		.values({ key: DEPLOYMENT_UNIT_KEY, value: String(province.id) })
		.execute();
	return { province: province.id, commune: commune.id };
}

/** Xã Vị Xuyên's one-stop shop (bộ phận một cửa), for the commune of `provinceWithCommune`. */
export const VI_XUYEN_SHOP = {
	slug: 'mot-cua-vi-xuyen',
	name_vi: 'Bộ phận một cửa xã Vị Xuyên',
	name_en: 'Vị Xuyên one-stop shop',
	kind: 'one_stop_shop'
} as const;

/** Adds agencies; their ids, in order. */
export async function addAgencies(db: Db, agencies: NewAgency[]): Promise<number[]> {
	const rows = await db.insertInto('agency').values(agencies).returning('id').execute();
	return rows.map((r) => r.id);
}

/** A staff account with the given grants (agency-scoped roles need the agency). */
export async function staffMember(
	db: Db,
	email: string,
	grants: Omit<Grant, 'unitId'>[]
): Promise<Staff> {
	const { id } = await db
		.insertInto('app_user')
		.values({ email, display_name: email, password_hash: 'x' })
		.returning('id')
		.executeTakeFirstOrThrow();
	const full = grants.map((g) => ({ ...g, unitId: null }));
	await db
		.insertInto('user_role')
		.values(full.map((g) => ({ user_id: id, role: g.role, agency_id: g.agencyId })))
		.execute();
	return { id, grants: full };
}

/** The id of the unit in force with this official code, in the catalogue ensureAdminUnits loads. */
export async function unitInForce(db: Db, code: string): Promise<number> {
	const unit = await db
		.selectFrom('admin_unit')
		.select('id')
		.where('code', '=', code)
		.where('valid_to', 'is', null)
		.executeTakeFirstOrThrow();
	return unit.id;
}

/**
 * A question asked in `unitId` (with the asker's e-mail, if given), accepted by `moderator` for
 * `agencyId` under its title and body, and due on `dueOn`.
 */
export async function assignedQuestion(
	db: Db,
	moderator: Staff,
	q: {
		unitId: number;
		agencyId: number;
		topic: string;
		title: string;
		body: string;
		name?: string;
		email?: string;
		dueOn: string;
	}
) {
	const asked = await askQuestion(db, {
		topic: q.topic,
		unitId: q.unitId,
		agencyId: null,
		title: q.title,
		body: q.body,
		name: q.name ?? null,
		email: q.email ?? null,
		phone: null,
		consent: true,
		files: []
	});
	await acceptQuestion(db, moderator, asked.id, {
		agencyIds: [q.agencyId],
		topic: q.topic,
		publicTitle: q.title,
		publicBody: q.body
	});
	await db
		.updateTable('question_assignment')
		.set({ due_on: q.dueOn })
		.where('question_id', '=', asked.id)
		.execute();
	return asked;
}
