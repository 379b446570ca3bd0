import { rm } from 'node:fs/promises';
import { sql } from 'kysely';
import { ensureAdminUnits } from '../../../../seeds/admin-units';
import { ensureDemoData } from '../../../../seeds/demo';
import { ensureInstruments } from '../../../../seeds/instruments';
import { config } from '../config';
import { aggregateQueued, recomputeWave, verifyWave } from '../analytics/aggregate';
import { refreshSnapshots, verifySnapshot } from '../analytics/snapshot';
import { closeDb, currentBackend, getDb, type Db } from '../db';
import { migrateToLatest } from '../db/migrate';

/**
 * Behind `npm run analytics:verify`: adds whatever is still queued (unless a server's aggregator
 * has the turn: then that one does) and takes the snapshots that are due, then recomputes every wave's analytics cells from the raw answers, and every published
 * standard error with `estimate()` on the raw answers it covers, and lists each difference.
 * Returns false on any.
 */
async function verifyAnalytics(db: Db): Promise<boolean> {
	let added = 0;
	for (let n = await aggregateQueued(db); n > 0; n = await aggregateQueued(db)) added += n;
	console.info(`analytics: ${added} queued responses added`);
	const taken = await refreshSnapshots(db);
	console.info(`analytics: ${taken.length} snapshots taken`);
	let ok = true;
	for (const wave of await db
		.selectFrom('survey_wave')
		.select(['id', 'slug'])
		.orderBy('id')
		.execute()) {
		const started = performance.now();
		const check = await verifyWave(db, wave.id);
		const ms = Math.round(performance.now() - started);
		console.info(
			`analytics: ${wave.slug}: ${check.cells} cells recomputed from the raw answers of ` +
				`${check.responses} responses in ${ms} ms, ${check.differences.length} differ` +
				(check.queued ? ` (${check.queued} queued responses left to the aggregator)` : '')
		);
		for (const d of check.differences.slice(0, 20)) console.info(`  ${d}`);
		ok &&= check.differences.length === 0;
		const published = await verifySnapshot(db, wave.id);
		console.info(
			`analytics: ${wave.slug}: published n and SE of ${published.checked} groups recomputed ` +
				`with estimate() from raw answers (${published.skipped} larger groups skipped), ` +
				`${published.differences.length} differ`
		);
		for (const d of published.differences.slice(0, 20)) console.info(`  ${d}`);
		ok &&= published.differences.length === 0;
	}
	return ok;
}

/** Behind `npm run analytics:recompute [wave-slug]`: rebuilds cells from the raw answers. */
async function recomputeAnalytics(db: Db, slug: string | undefined): Promise<boolean> {
	const waves = await db
		.selectFrom('survey_wave')
		.select(['id', 'slug'])
		.$if(slug !== undefined, (q) => q.where('slug', '=', slug!))
		.orderBy('id')
		.execute();
	if (slug !== undefined && !waves.length) {
		console.error(`analytics: no wave ${slug}`);
		return false;
	}
	for (const wave of waves) {
		const started = performance.now();
		const { cells, responses } = await recomputeWave(db, wave.id);
		await refreshSnapshots(db, { only: wave.id });
		const ms = Math.round(performance.now() - started);
		console.info(
			`analytics: ${wave.slug}: ${cells} cells rebuilt from the raw answers of ${responses} ` +
				`responses in ${ms} ms`
		);
	}
	return true;
}

/** Behind `npm run db:migrate | db:seed | db:reset` and `analytics:verify` (scripts/db.js). */
export async function run(
	command: 'migrate' | 'seed' | 'reset' | 'analytics-verify' | 'analytics-recompute',
	argument?: string
): Promise<void> {
	const settings = config();
	if (command === 'analytics-verify' || command === 'analytics-recompute') {
		try {
			const db = await getDb();
			const ok =
				command === 'analytics-verify'
					? await verifyAnalytics(db)
					: await recomputeAnalytics(db, argument);
			if (!ok) process.exitCode = 1;
		} finally {
			await closeDb();
		}
		return;
	}
	if (command === 'reset') {
		if (settings.production) throw new Error('db:reset refuses to run with NODE_ENV=production');
		if (settings.databaseUrl) {
			const db = await getDb();
			await sql`drop schema public cascade`.execute(db);
			await sql`create schema public`.execute(db);
			await closeDb();
		} else if (!settings.pgliteDir.startsWith('memory://')) {
			await rm(settings.pgliteDir, { recursive: true, force: true });
		}
		console.info(
			`reset: emptied the ${settings.databaseUrl ? 'PostgreSQL' : `embedded (${settings.pgliteDir})`} database`
		);
	}
	const db = await getDb();
	try {
		const applied = await migrateToLatest(db);
		console.info(
			`migrate (${currentBackend()}): ${applied.length ? applied.join(', ') : 'already up to date'}`
		);
		if (command === 'seed' || command === 'reset') {
			console.info(
				`seed: administrative units ${(await ensureAdminUnits(db)) ? 'loaded' : 'already present'}`
			);
			const instruments = await ensureInstruments(db);
			console.info(
				`seed: instruments ${instruments.length ? instruments.join(', ') : 'already present'}`
			);
			console.info(`seed: demo data ${(await ensureDemoData(db)) ? 'seeded' : 'already present'}`);
		}
	} finally {
		await closeDb();
	}
}
