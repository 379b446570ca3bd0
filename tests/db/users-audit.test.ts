import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdminUnits } from '../../seeds/admin-units';
import { ensureInstruments } from '../../seeds/instruments';
import { ensureDemoData, DEMO_USERS, DEMO_PASSWORD } from '../../seeds/demo';
import { audit } from '$lib/server/audit';
import { waveRaking } from '$lib/server/surveys/raking';
import { loadGrants } from '$lib/server/auth/session';
import { signIn } from '$lib/server/auth/sign-in';
import { createUser, ensureAdmin, grantRole, listUsers, revokeRole } from '$lib/server/auth/users';
import { backends, migratedDb, type TestDb } from './harness';

describe.each(backends)('staff accounts, roles and the audit log on %s', (backend) => {
	let t: TestDb;
	let adminId: string;
	beforeAll(async () => {
		t = await migratedDb(backend);
		await ensureAdminUnits(t.db);
		await ensureInstruments(t.db);
		expect(await ensureDemoData(t.db)).toBe(true);
		adminId = (
			await t.db
				.selectFrom('app_user')
				.select('id')
				.where('email', '=', 'admin@demo.civicvoice.vn')
				.executeTakeFirstOrThrow()
		).id;
	});
	afterAll(async () => t?.close());

	it('seeds one demo account per role that can sign in, once', async () => {
		expect(await ensureDemoData(t.db)).toBe(false);
		const users = await listUsers(t.db);
		const roles = new Set(users.flatMap((u) => u.grants.map((g) => g.role)));
		expect(roles).toEqual(
			new Set(['admin', 'official', 'approver', 'moderator', 'analyst', 'interviewer', 'microdata'])
		);
		for (const u of DEMO_USERS) {
			const result = await signIn(t.db, {
				email: u.email,
				password: DEMO_PASSWORD,
				clientAddress: `10.0.0.${u.email.length}`,
				secret: undefined
			});
			expect(result.ok, u.email).toBe(true);
		}
	});

	it('rakes one closed PAPI wave of the demo to margins labelled illustrative', async () => {
		const wave = await t.db
			.selectFrom('survey_wave')
			.select('id')
			.where('slug', '=', 'papi-tuyen-quang-dot-1-2026')
			.executeTakeFirstOrThrow();
		const raking = await waveRaking(t.db, wave.id);
		expect(raking).toMatchObject({ source: 'Số liệu minh họa', illustrative: true });
		expect(raking!.margins.map((m) => m.variable)).toEqual([
			'gender*age_band',
			'urban_rural',
			'ethnicity'
		]);
		expect(raking!.raked).toMatchObject({ responses: 400, report: { converged: true } });
		const unraked = await t.db
			.selectFrom('survey_response')
			.select('id')
			.where('wave_id', '=', wave.id)
			.where('raked_weight', 'is', null)
			.execute();
		expect(unraked).toEqual([]);
	});

	it('refuses a second account with the same e-mail in another case', async () => {
		await expect(
			createUser(
				t.db,
				{ email: 'ADMIN@demo.civicvoice.vn', displayName: 'X', password: 'long enough pw' },
				adminId
			)
		).rejects.toMatchObject({
			code: 'email_taken',
			status: 409,
			fields: { email: expect.any(String) }
		});
	});

	it('records creating a user, granting and revoking a role, with who did it', async () => {
		const id = await createUser(
			t.db,
			{ email: 'new.analyst@example.vn', displayName: 'Phân tích', password: 'long enough pw' },
			adminId
		);
		const province = await t.db
			.selectFrom('admin_unit')
			.select('id')
			.where('code', '=', '08')
			.where('valid_to', 'is', null)
			.executeTakeFirstOrThrow();
		expect(await grantRole(t.db, id, { role: 'analyst', unitId: province.id }, adminId)).toBe(true);
		expect(await grantRole(t.db, id, { role: 'analyst', unitId: province.id }, adminId)).toBe(
			false
		);
		const grants = await t.db
			.selectFrom('user_role')
			.select('id')
			.where('user_id', '=', id)
			.execute();
		expect(await revokeRole(t.db, id, grants[0]!.id, adminId)).toBe(true);
		expect(await loadGrants(t.db, id)).toEqual([]);

		const log = await t.db
			.selectFrom('audit_log')
			.select(['action', 'actor_user_id'])
			.where('entity_id', '=', id)
			.orderBy('id')
			.execute();
		expect(log).toEqual([
			{ action: 'user.create', actor_user_id: adminId },
			{ action: 'role.grant', actor_user_id: adminId },
			{ action: 'role.revoke', actor_user_id: adminId }
		]);
	});

	it('refuses a grant whose scope does not fit its role', async () => {
		const official = await t.db
			.selectFrom('app_user')
			.select('id')
			.where('email', '=', 'canbo.noivu@demo.civicvoice.vn')
			.executeTakeFirstOrThrow();
		await expect(
			t.db
				.insertInto('user_role')
				.values({ user_id: official.id, role: 'official', agency_id: null, unit_id: null })
				.execute()
		).rejects.toThrow();
	});

	it('keeps the audit log append-only', async () => {
		await audit(t.db, { actorId: adminId, action: 'test.entry', entityType: 'test', entityId: 1 });
		await expect(sql`update audit_log set action = 'forged'`.execute(t.db)).rejects.toThrow(
			/append-only/
		);
		await expect(sql`delete from audit_log`.execute(t.db)).rejects.toThrow(/append-only/);
		await expect(sql`truncate audit_log`.execute(t.db)).rejects.toThrow(/append-only/);
		const kept = await t.db
			.selectFrom('audit_log')
			.select('action')
			.where('action', '=', 'test.entry')
			.execute();
		expect(kept).toHaveLength(1);
	});
});

describe.each(backends)('first administrator on %s', (backend) => {
	let t: TestDb;
	beforeAll(async () => {
		t = await migratedDb(backend);
	});
	afterAll(async () => t?.close());

	it('is created once with the admin role and can sign in', async () => {
		expect(await ensureAdmin(t.db, 'root@province.gov.vn', 'a long first password')).toBe(true);
		expect(await ensureAdmin(t.db, 'root@province.gov.vn', 'another password here')).toBe(false);
		const result = await signIn(t.db, {
			email: 'root@province.gov.vn',
			password: 'a long first password',
			clientAddress: '10.1.1.1',
			secret: undefined
		});
		expect(result.ok).toBe(true);
		const grants = await loadGrants(t.db, result.ok ? result.userId : '');
		expect(grants).toEqual([{ role: 'admin', agencyId: null, unitId: null }]);
	});
});
