import { sql } from 'kysely';
import { inTransaction, type Db } from '../src/lib/server/db';
import { createInstrument, publishVersion } from '../src/lib/server/surveys/instruments';
import { instrumentSpec } from '../src/lib/surveys/spec';
import papi from './instruments/papi.json';
import sipas from './instruments/sipas.json';

/** The PAPI-style and SIPAS-style questionnaires every portal starts with, published. */
export const SEED_INSTRUMENTS = [papi, sipas];

/** Creates and publishes each seeded instrument that is not there yet; returns the slugs created. */
export async function ensureInstruments(db: Db): Promise<string[]> {
	return inTransaction(db, async (trx) => {
		await sql`select pg_advisory_xact_lock(hashtext('civic-voice:instruments'))`.execute(trx);
		const created: string[] = [];
		for (const json of SEED_INSTRUMENTS) {
			const spec = instrumentSpec.parse(json);
			const exists = await trx
				.selectFrom('instrument')
				.select('id')
				.where('slug', '=', spec.slug)
				.executeTakeFirst();
			if (exists) continue;
			const version = await createInstrument(trx, spec, null);
			await publishVersion(trx, version.id, null);
			created.push(spec.slug);
		}
		return created;
	});
}
