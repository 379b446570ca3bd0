import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdminUnits } from '../../seeds/admin-units';
import { ensureInstruments } from '../../seeds/instruments';
import { signIn } from '$lib/server/auth/sign-in';
import { createSession, validateSessionToken } from '$lib/server/auth/session';
import { createUser } from '$lib/server/auth/users';
import { openDb, type Db } from '$lib/server/db';
import { knownMigrations, migrateToLatest } from '$lib/server/db/migrate';
import { hit } from '$lib/server/security/rate-limit';
import { latestPublished } from '$lib/server/surveys/instruments';
import { submitResponse } from '$lib/server/surveys/submit';
import { createWave, setWaveStatus } from '$lib/server/surveys/waves';
import type { InstrumentSpec } from '$lib/surveys/spec';
import { queryOnce, type PgCluster } from '../../scripts/lib/pg-cluster.js';
import { startTestCluster } from './cluster';
import { randomAnswers } from './responses';

const CONCURRENT = 60;
const PASSWORD = 'correct horse battery';
const policy = { idleDays: 7, maxDays: 30 };

// PostgreSQL only: pgbouncer in transaction mode hands a server connection to another client
// after every transaction, so nothing may outlive one (named prepared statements, session locks).
// Fewer server connections (4) than app connections (10), as with many app servers.
describe.runIf(process.env.TEST_DATABASE_URL)('behind pgbouncer in transaction mode', () => {
	let cluster: PgCluster;
	let db: Db;
	let pooledUrl: string;
	let wave: { id: number; versionId: number; spec: InstrumentSpec };
	let submitted = 0;

	beforeAll(async () => {
		cluster = await startTestCluster(4);
		pooledUrl = `${cluster.bouncerUrl}?pgbouncer=true`;
		// five servers starting at the same moment, all migrating through the pooler's four server
		// connections: none may hold one while it waits for another's migrations
		const servers = [0, 1, 2, 3, 4].map(
			() => openDb({ databaseUrl: pooledUrl, pgliteDir: 'memory://', poolMax: 10 }).db
		);
		await Promise.all(servers.map((s) => migrateToLatest(s)));
		await Promise.all(servers.slice(1).map((s) => s.destroy()));
		db = servers[0]!;
		await ensureAdminUnits(db);
		await ensureInstruments(db);
		const version = (await latestPublished(db, 'sipas'))!;
		const commune = await db
			.selectFrom('admin_unit')
			.select('id')
			.where('level', '=', 'commune')
			.where('valid_to', 'is', null)
			.orderBy('code')
			.executeTakeFirstOrThrow();
		const id = await createWave(
			db,
			{
				slug: 'pooler',
				versionId: version.id,
				title: { vi: 'Thử', en: 'Test' },
				unitIds: [commune.id]
			},
			null
		);
		await setWaveStatus(db, id, 'open', null);
		wave = { id, versionId: version.id, spec: version.spec };
		await createUser(
			db,
			{ email: 'analyst@example.vn', displayName: 'A', password: PASSWORD },
			null
		);
	});
	afterAll(async () => {
		await db?.destroy();
		await cluster?.stop();
	});

	const submit = (on: Db) => {
		const n = submitted++;
		return submitResponse(on, {
			waveId: wave.id,
			versionId: wave.versionId,
			unitId: null,
			mode: 'web',
			submitKey: `pooler-${n}-0123456789`,
			answers: randomAnswers(wave.spec, n + 1)
		});
	};

	it('migrates from five servers at once and leaves no lock held on any server connection', async () => {
		const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
		expect(rows.map((r) => r.name).sort()).toEqual(await knownMigrations());
		// on the primary itself: pgbouncer's server connections are sessions of their own
		const [{ held }] = (await queryOnce(
			cluster.primaryUrl,
			`select count(*)::int as held from pg_locks where locktype = 'advisory'`
		)) as { held: number }[];
		expect(held).toBe(0);
	});

	it(`takes ${CONCURRENT} concurrent submissions and sign-ins, every one`, async () => {
		const results = await Promise.allSettled(
			Array.from({ length: CONCURRENT }, async (_, i) => {
				const stored = await submit(db);
				if (!stored.ok) throw new Error(`submission refused: ${stored.reason}`);
				const limited = await hit(db, `sign-in:${i}`, { max: 100, windowSeconds: 60 });
				const signedIn = await signIn(db, {
					email: 'analyst@example.vn',
					password: PASSWORD,
					clientAddress: `198.51.100.${i + 1}`,
					secret: 'x'.repeat(32)
				});
				if (!signedIn.ok || limited.limited) throw new Error('sign-in refused');
				const { token } = await createSession(db, signedIn.userId);
				if (!(await validateSessionToken(db, token, policy))) throw new Error('no session');
			})
		);
		const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
		expect(failures).toEqual([]);
		const { rows } = await sql<{ n: number }>`
			select count(*)::int as n from survey_response where wave_id = ${wave.id}`.execute(db);
		expect(rows[0]!.n).toBe(submitted);
	});

	it('fails with named prepared statements forced on: what the setting is for', async () => {
		const prepared = openDb({
			databaseUrl: pooledUrl,
			pgliteDir: 'memory://',
			poolMax: 10,
			prepared: true
		}).db;
		try {
			const results = await Promise.allSettled(
				Array.from({ length: CONCURRENT }, () => submit(prepared))
			);
			const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
			expect(failures.length).toBeGreaterThan(0);
			expect(failures.join('\n')).toMatch(
				/prepared statement "cv_\w+" (already exists|does not exist)/
			);
		} finally {
			await prepared.destroy();
		}
	});
});
