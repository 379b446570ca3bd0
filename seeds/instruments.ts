import { isDeepStrictEqual } from 'node:util';
import { sql } from 'kysely';
import { inTransaction, type Db } from '../src/lib/server/db';
import { createInstrument, publishVersion, saveDraft } from '../src/lib/server/surveys/instruments';
import { instrumentSpec, type InstrumentSpec } from '../src/lib/surveys/spec';
import papi from './instruments/papi.json';
import sipas from './instruments/sipas.json';
import sipas2023 from './instruments/sipas-2023.json';
import sipasQuay from './instruments/sipas-quay.json';

/**
 * The questionnaires every portal starts with, published; an instrument's versions oldest first.
 * SIPAS has two: the five elements of service delivery (the QĐ 2640/QĐ-BNV method, kept for the
 * waves already run on it) and the 2023–2026 method of QĐ 1001/QĐ-BNV with its policy part.
 * The one-stop shop's counter kiosk has a short SIPAS-style questionnaire of its own.
 */
export const SEED_INSTRUMENTS = [papi, sipas, sipas2023, sipasQuay];

/**
 * Publishes what is missing of the seeded instruments; returns what it published ("sipas v2").
 * A new instrument gets every seeded version in order. An existing one gets its newest seeded
 * version as a new published version, unless a version with that very spec is there already
 * (so running this twice adds nothing) or staff have a draft open (it would be overwritten; the
 * seed waits for the next start).
 */
export async function ensureInstruments(db: Db): Promise<string[]> {
	return inTransaction(db, async (trx) => {
		await sql`select pg_advisory_xact_lock(hashtext('civic-voice:instruments'))`.execute(trx);
		const published: string[] = [];
		const bySlug = new Map<string, InstrumentSpec[]>();
		for (const json of SEED_INSTRUMENTS) {
			const spec = instrumentSpec.parse(json);
			bySlug.set(spec.slug, [...(bySlug.get(spec.slug) ?? []), spec]);
		}
		for (const [slug, specs] of bySlug) {
			const exists = await trx
				.selectFrom('instrument')
				.select('id')
				.where('slug', '=', slug)
				.executeTakeFirst();
			if (!exists) {
				const first = await createInstrument(trx, specs[0]!, null);
				await publishVersion(trx, first.id, null);
				published.push(`${slug} v1`);
				for (const spec of specs.slice(1))
					published.push(await publishNew(trx, first.instrumentId, spec));
				continue;
			}
			const newest = specs.at(-1)!;
			const versions = await trx
				.selectFrom('instrument_version')
				.select(['status', 'spec'])
				.where('instrument_id', '=', exists.id)
				.execute();
			if (versions.some((v) => v.status === 'draft')) continue;
			const same = (stored: unknown) => {
				const parsed = instrumentSpec.safeParse(stored);
				return parsed.success && isDeepStrictEqual(parsed.data, newest);
			};
			if (versions.some((v) => same(v.spec))) continue;
			published.push(await publishNew(trx, exists.id, newest));
		}
		return published;
	});
}

async function publishNew(trx: Db, instrumentId: number, spec: InstrumentSpec): Promise<string> {
	const draft = await saveDraft(trx, instrumentId, spec, null);
	await publishVersion(trx, draft.id, null);
	return `${spec.slug} v${draft.version}`;
}
