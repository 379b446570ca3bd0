import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureInstruments } from '../../seeds/instruments';
import { announce, forget, type Forgotten, type Hearing } from '$lib/server/cache/invalidation';
import { startListener, type Listener } from '$lib/server/cache/listener';
import { latestPublished } from '$lib/server/surveys/instruments';
import { createWave, getWaveCached, setWaveStatus } from '$lib/server/surveys/waves';
import { backends, emptyDb, migratedDb, type TestDb } from './harness';

/** Waits for a condition with a generous bound (a busy machine), never for a fixed time. */
async function until(condition: () => boolean, what: string, ms = 15_000) {
	const deadline = performance.now() + ms;
	while (!condition()) {
		if (performance.now() > deadline) throw new Error(`timed out waiting until ${what}`);
		await new Promise((r) => setTimeout(r, 5));
	}
}

describe.each(backends)('the wave cache on %s', (backend) => {
	let t: TestDb;
	let waveId: number;
	beforeAll(async () => {
		t = await migratedDb(backend);
		await ensureInstruments(t.db);
		const version = (await latestPublished(t.db, 'sipas'))!;
		waveId = await createWave(
			t.db,
			{ slug: 'cache', versionId: version.id, title: { vi: 'Thử', en: 'Test' }, unitIds: [] },
			null
		);
		await setWaveStatus(t.db, waveId, 'open', null);
	});
	afterAll(async () => {
		await t?.close();
	});

	it('reads a wave anew at once after this server closes it', async () => {
		expect((await getWaveCached(t.db, 'cache'))?.status).toBe('open');
		await setWaveStatus(t.db, waveId, 'closed', null);
		expect((await getWaveCached(t.db, 'cache'))?.status).toBe('closed');
	});

	it('reads it anew when another server announces a change to a wave, not before', async () => {
		expect((await getWaveCached(t.db, 'cache'))?.status).toBe('closed');
		// another server reopens it (by hand: no such transition exists)
		await t.db
			.updateTable('survey_wave')
			.set({ status: 'open' })
			.where('id', '=', waveId)
			.execute();
		expect((await getWaveCached(t.db, 'cache'))?.status).toBe('closed');
		forget({ topic: 'questions', id: 1 });
		expect((await getWaveCached(t.db, 'cache'))?.status).toBe('closed');
		forget({ topic: 'waves', id: waveId });
		expect((await getWaveCached(t.db, 'cache'))?.status).toBe('open');
	});
});

type Ear = {
	listener: Listener;
	heard: { what: Forgotten; at: number }[];
	hearing: Hearing[];
	got: (id: number) => boolean;
};

// PostgreSQL only: on PGlite there is one process, which forgets its own changes.
describe.runIf(process.env.TEST_DATABASE_URL)('two servers listening on one PostgreSQL', () => {
	let t: TestDb;
	let elsewhere: TestDb;
	let url: string;
	const ears: Ear[] = [];

	function listen(name: string, options: { probesTo?: TestDb; probeTimeoutMs?: number } = {}) {
		const ear: Ear = {
			heard: [],
			hearing: [],
			got: (id) => ear.heard.some(({ what }) => what !== 'all' && what.id === id),
			listener: undefined!
		};
		ear.listener = startListener({
			url,
			db: (options.probesTo ?? t).db,
			deliver: (what) => ear.heard.push({ what, at: performance.now() }),
			hear: (now) => ear.hearing.push(now),
			applicationName: name,
			probeEveryMs: 500,
			probeTimeoutMs: options.probeTimeoutMs ?? 5000,
			firstRetryMs: 50
		});
		ears.push(ear);
		return ear;
	}

	const commit = (id: number) =>
		t.db.transaction().execute((trx) => announce(trx, { topic: 'waves', id }));

	let a: Ear;
	let b: Ear;
	beforeAll(async () => {
		t = await emptyDb('postgres');
		elsewhere = await emptyDb('postgres');
		const { rows } = await sql<{ db: string }>`select current_database() as db`.execute(t.db);
		const own = new URL(process.env.TEST_DATABASE_URL!);
		own.pathname = `/${rows[0]!.db}`;
		url = own.toString();
		a = listen('cv test a');
		b = listen('cv test b');
		await until(() => a.hearing.at(-1) === 'listening', 'a listens');
		await until(() => b.hearing.at(-1) === 'listening', 'b listens');
	});
	afterAll(async () => {
		for (const ear of ears) await ear.listener.stop();
		await t?.close();
		await elsewhere?.close();
	});

	it('counts as listening only once a probe came back, after forgetting everything', () => {
		for (const ear of [a, b]) {
			expect(ear.hearing[0]).toBe('deaf');
			expect(ear.heard[0]?.what).toBe('all');
		}
	});

	it('delivers a change committed on one server to the others within a second', async () => {
		const latencies: number[] = [];
		for (let id = 1; id <= 20; id++) {
			await commit(id);
			const committed = performance.now();
			await until(() => a.got(id) && b.got(id), `change ${id} arrives`);
			for (const ear of [a, b])
				latencies.push(
					ear.heard.find(({ what }) => what !== 'all' && what.id === id)!.at - committed
				);
		}
		console.info(
			`notification after commit: max ${Math.max(...latencies).toFixed(1)} ms over ${latencies.length}`
		);
		expect(Math.max(...latencies)).toBeLessThan(1000);
		expect(b.heard.find(({ what }) => what !== 'all' && what.id === 1)?.what).toEqual({
			topic: 'waves',
			id: 1
		});
	});

	it('never delivers a change whose transaction rolled back', async () => {
		const rolledBack = t.db.transaction().execute(async (trx) => {
			await announce(trx, { topic: 'waves', id: 101 });
			throw new Error('changed my mind');
		});
		await expect(rolledBack).rejects.toThrow('changed my mind');
		// notifications arrive in commit order: once the next one is here, the first never will be
		await commit(102);
		await until(() => a.got(102) && b.got(102), 'the next change arrives');
		expect(a.got(101) || b.got(101)).toBe(false);
	});

	it('replaces a killed connection, forgets everything, and hears changes again', async () => {
		const before = { heard: b.heard.length, hearing: b.hearing.length };
		const killed = await sql`
			select pg_terminate_backend(pid) from pg_stat_activity
			where datname = current_database() and application_name = 'cv test b'`.execute(t.db);
		expect(killed.rows).toHaveLength(1);
		await until(() => b.hearing.slice(before.hearing).includes('deaf'), 'b knows it is deaf');
		await until(() => b.hearing.at(-1) === 'listening', 'b listens again');
		expect(b.heard.slice(before.heard).map(({ what }) => what)).toContain('all');
		await commit(201);
		await until(() => b.got(201), 'b hears a change after reconnecting');
		// the other server never stopped listening
		expect(a.hearing.at(-1)).toBe('listening');
		expect(a.hearing.filter((h) => h === 'deaf')).toHaveLength(1);
	});

	it('stays deaf on a connection that notifications do not reach, trying again and again', async () => {
		// LISTENing on one database while changes are announced on another: what a listening
		// connection through pgbouncer in transaction mode would hear
		const lost = listen('cv test lost', { probesTo: elsewhere, probeTimeoutMs: 200 });
		await until(
			() => lost.heard.filter(({ what }) => what === 'all').length >= 3,
			'it has connected three times'
		);
		expect(lost.hearing).not.toContain('listening');
		expect(lost.hearing.at(-1)).toBe('deaf');
	});
});
