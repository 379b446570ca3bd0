import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdminUnits } from '../../seeds/admin-units';
import { ensureDemoData } from '../../seeds/demo';
import { ensureInstruments } from '../../seeds/instruments';
import { AGENCY_NAMES, DEMO_LOGINS, GRANTS, type Persona } from '../../e2e/authz/personas';
import { backends, migratedDb, type TestDb } from './harness';

const asText = (g: { role: string; agency?: string | null; unit?: string | null }) =>
	[g.role, g.agency ?? '-', g.unit ?? '-'].join(' ');

/**
 * The authorization matrix computes its expectations from the grants it declares for the demo
 * accounts; if the demo seed gave them other grants, the matrix would check the wrong policy.
 */
describe.each(backends)('the demo accounts on %s', (backend) => {
	let t: TestDb;
	beforeAll(async () => {
		t = await migratedDb(backend);
		await ensureAdminUnits(t.db);
		await ensureInstruments(t.db);
		await ensureDemoData(t.db);
	});
	afterAll(async () => t?.close());

	it('hold exactly the grants the authorization matrix declares for them', async () => {
		for (const [persona, email] of Object.entries(DEMO_LOGINS)) {
			const rows = await t.db
				.selectFrom('user_role as r')
				.innerJoin('app_user as u', 'u.id', 'r.user_id')
				.leftJoin('agency as a', 'a.id', 'r.agency_id')
				.leftJoin('admin_unit as au', 'au.id', 'r.unit_id')
				.select(['r.role', 'a.name_vi as agency', 'au.code as unit'])
				.where('u.email', '=', email)
				.execute();
			const declared = GRANTS[persona as Persona].map((g) =>
				asText({ role: g.role, agency: g.agency && AGENCY_NAMES[g.agency], unit: g.unit })
			);
			expect(rows.map(asText).sort(), `${persona} (${email})`).toEqual(declared.sort());
		}
	});
});
