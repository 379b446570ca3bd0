import { rm } from 'node:fs/promises';
import { sql } from 'kysely';
import { ensureAdminUnits } from '../../../../seeds/admin-units';
import { ensureDemoData } from '../../../../seeds/demo';
import { ensureInstruments } from '../../../../seeds/instruments';
import { config } from '../config';
import { closeDb, currentBackend, getDb } from './index';
import { migrateToLatest } from './migrate';

/** Behind `npm run db:migrate | db:seed | db:reset` (scripts/db.js). */
export async function run(command: 'migrate' | 'seed' | 'reset'): Promise<void> {
	const settings = config();
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
