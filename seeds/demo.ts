import { sql } from 'kysely';
import type { Role } from '../src/lib/auth/access';
import { audit } from '../src/lib/server/audit';
import type { Db } from '../src/lib/server/db';
import type { AgencyKind } from '../src/lib/server/db/schema';
import { hashPassword } from '../src/lib/server/auth/password';

/**
 * Demo data for a fresh embedded database: one province after the 2025 reform (Tuyên Quang,
 * which took in Hà Giang, home of the Vị Xuyên plan in the seeds), its agencies and one staff
 * account for each role. The accounts are listed in the README; never seed them in production.
 */
export const DEMO_PASSWORD = 'CivicVoice-demo-2026';
export const DEMO_PROVINCE_CODE = '08';
const REFORM_DATE = '2025-07-01';

type DemoAgency = { slug: string; vi: string; en: string; kind: AgencyKind; unitCode: string };

export const DEMO_AGENCIES: DemoAgency[] = [
	{
		slug: 'ubnd-tinh-tuyen-quang',
		vi: 'Ủy ban nhân dân tỉnh Tuyên Quang',
		en: 'Tuyên Quang Provincial People’s Committee',
		kind: 'province_committee',
		unitCode: '08'
	},
	{
		slug: 'so-noi-vu',
		vi: 'Sở Nội vụ tỉnh Tuyên Quang',
		en: 'Department of Home Affairs',
		kind: 'department',
		unitCode: '08'
	},
	{
		slug: 'so-tai-chinh',
		vi: 'Sở Tài chính tỉnh Tuyên Quang',
		en: 'Department of Finance',
		kind: 'department',
		unitCode: '08'
	},
	{
		slug: 'so-nong-nghiep-moi-truong',
		vi: 'Sở Nông nghiệp và Môi trường tỉnh Tuyên Quang',
		en: 'Department of Agriculture and Environment',
		kind: 'department',
		unitCode: '08'
	},
	{
		slug: 'trung-tam-phuc-vu-hcc',
		vi: 'Trung tâm Phục vụ hành chính công tỉnh Tuyên Quang',
		en: 'Provincial Public Administrative Service Centre',
		kind: 'one_stop_shop',
		unitCode: '08'
	},
	{
		slug: 'ubnd-phuong-minh-xuan',
		vi: 'Ủy ban nhân dân phường Minh Xuân',
		en: 'Minh Xuân Ward People’s Committee',
		kind: 'commune_committee',
		unitCode: '02215'
	},
	{
		slug: 'ubnd-xa-vi-xuyen',
		vi: 'Ủy ban nhân dân xã Vị Xuyên',
		en: 'Vị Xuyên Commune People’s Committee',
		kind: 'commune_committee',
		unitCode: '00913'
	},
	{
		slug: 'ubnd-phuong-ha-giang-1',
		vi: 'Ủy ban nhân dân phường Hà Giang 1',
		en: 'Hà Giang 1 Ward People’s Committee',
		kind: 'commune_committee',
		unitCode: '00694'
	},
	{
		slug: 'mot-cua-xa-vi-xuyen',
		vi: 'Bộ phận tiếp nhận và trả kết quả xã Vị Xuyên',
		en: 'Vị Xuyên Commune One-Stop Shop',
		kind: 'one_stop_shop',
		unitCode: '00913'
	}
];

type DemoUser = {
	email: string;
	name: string;
	grants: { role: Role; agency?: string; unitCode?: string }[];
};

export const DEMO_USERS: DemoUser[] = [
	{ email: 'admin@demo.civicvoice.vn', name: 'Quản trị viên (demo)', grants: [{ role: 'admin' }] },
	{
		email: 'canbo.noivu@demo.civicvoice.vn',
		name: 'Nguyễn Văn An',
		grants: [{ role: 'official', agency: 'so-noi-vu' }]
	},
	{
		email: 'canbo.vixuyen@demo.civicvoice.vn',
		name: 'Hoàng Thị Bình',
		grants: [{ role: 'official', agency: 'ubnd-xa-vi-xuyen' }]
	},
	{
		email: 'kiemduyet@demo.civicvoice.vn',
		name: 'Trần Minh Châu',
		grants: [{ role: 'moderator' }]
	},
	{
		email: 'phantich@demo.civicvoice.vn',
		name: 'Lê Thu Dung',
		grants: [{ role: 'analyst', unitCode: '08' }]
	}
];

export const DEMO_SEEDED_KEY = 'demo_seeded';
export { DEPLOYMENT_UNIT_KEY } from '../src/lib/server/units/deployment';
import { DEPLOYMENT_UNIT_KEY } from '../src/lib/server/units/deployment';

/** Seeds the demo once; returns false when it was already there. Needs the admin units. */
export async function ensureDemoData(db: Db): Promise<boolean> {
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	return db.transaction().execute(async (trx) => {
		await sql`select pg_advisory_xact_lock(hashtext('civic-voice:demo'))`.execute(trx);
		const seeded = await trx
			.selectFrom('app_meta')
			.select('key')
			.where('key', '=', DEMO_SEEDED_KEY)
			.executeTakeFirst();
		if (seeded) return false;

		const units = await trx
			.selectFrom('admin_unit')
			.select(['id', 'code'])
			.where('valid_from', '=', REFORM_DATE)
			.where('code', 'in', [...new Set(DEMO_AGENCIES.map((a) => a.unitCode))])
			.execute();
		const unitId = (code: string) => {
			const id = units.find((u) => u.code === code)?.id;
			if (id === undefined) throw new Error(`Demo data: unit ${code} is not loaded`);
			return id;
		};

		const agencies = await trx
			.insertInto('agency')
			.values(
				DEMO_AGENCIES.map((a) => ({
					slug: a.slug,
					name_vi: a.vi,
					name_en: a.en,
					kind: a.kind,
					unit_id: unitId(a.unitCode)
				}))
			)
			.returning(['id', 'slug'])
			.execute();
		const agencyId = (slug: string) => agencies.find((a) => a.slug === slug)!.id;

		for (const u of DEMO_USERS) {
			const { id } = await trx
				.insertInto('app_user')
				.values({ email: u.email, display_name: u.name, password_hash: passwordHash })
				.returning('id')
				.executeTakeFirstOrThrow();
			await trx
				.insertInto('user_role')
				.values(
					u.grants.map((g) => ({
						user_id: id,
						role: g.role,
						agency_id: g.agency ? agencyId(g.agency) : null,
						unit_id: g.unitCode ? unitId(g.unitCode) : null
					}))
				)
				.execute();
		}

		await trx
			.insertInto('app_meta')
			.values([
				{ key: DEMO_SEEDED_KEY, value: new Date().toISOString() },
				{ key: DEPLOYMENT_UNIT_KEY, value: String(unitId(DEMO_PROVINCE_CODE)) }
			])
			.execute();
		await audit(trx, {
			actorId: null,
			action: 'demo.seed',
			entityType: 'database',
			details: { users: DEMO_USERS.length, agencies: DEMO_AGENCIES.length }
		});
		return true;
	});
}
