import { sql } from 'kysely';
import type { InstrumentSpec } from '$lib/surveys/spec';
import { audit } from '../audit';
import { announce, maxAgeFor, onChange } from '../cache/invalidation';
import { inTransaction, type Db } from '../db';
import type { WaveStatus } from '../db/schema';
import { specOfVersion } from './instruments';
import { refuseSurvey } from './refusals';

export type Wave = {
	id: number;
	slug: string;
	title: { vi: string; en: string };
	description: { vi: string; en: string };
	status: WaveStatus;
	layout: 'paged' | 'single';
	accessMode: 'open' | 'invitation';
	opensOn: string | null;
	closesOn: string | null;
	versionId: number;
	spec: InstrumentSpec;
};

export type Commune = { id: number; code: string; name: string };

const waveColumns = [
	'id',
	'slug',
	'title_vi',
	'title_en',
	'description_vi',
	'description_en',
	'status',
	'layout',
	'access_mode',
	'opens_on',
	'closes_on',
	'instrument_version_id'
] as const;

type WaveRow = {
	id: number;
	slug: string;
	title_vi: string;
	title_en: string;
	description_vi: string;
	description_en: string;
	status: WaveStatus;
	layout: 'paged' | 'single';
	access_mode: 'open' | 'invitation';
	opens_on: string | null;
	closes_on: string | null;
	instrument_version_id: number;
};

async function toWave(db: Db, row: WaveRow): Promise<Wave> {
	const spec = await specOfVersion(db, row.instrument_version_id);
	return {
		id: row.id,
		slug: row.slug,
		title: { vi: row.title_vi, en: row.title_en },
		description: { vi: row.description_vi, en: row.description_en },
		status: row.status,
		layout: row.layout,
		accessMode: row.access_mode,
		opensOn: row.opens_on,
		closesOn: row.closes_on,
		versionId: row.instrument_version_id,
		spec
	};
}

export async function getWave(db: Db, slug: string): Promise<Wave | undefined> {
	const row = await db
		.selectFrom('survey_wave')
		.select(waveColumns)
		.where('slug', '=', slug)
		.executeTakeFirst();
	return row && toWave(db, row);
}

// Citizen pages read their wave on every request: they may see it up to WAVE_CACHE_MS old (a
// second while this process cannot hear the other servers), and anew once any server announces
// a change to any wave (a copy read before that is never served). Whatever must be exact
// (accepting a response) checks the database itself.
const WAVE_CACHE_MS = 5000;
const recentWaves = new WeakMap<
	Db,
	Map<string, { wave: Wave | undefined; at: number; generation: number }>
>();
let generation = 0;
onChange((what) => {
	if (what === 'all' || what.topic === 'waves') generation++;
});

export async function getWaveCached(db: Db, slug: string): Promise<Wave | undefined> {
	let waves = recentWaves.get(db);
	if (!waves) recentWaves.set(db, (waves = new Map()));
	const hit = waves.get(slug);
	const now = performance.now();
	if (hit && hit.generation === generation && now - hit.at < maxAgeFor(WAVE_CACHE_MS))
		return hit.wave;
	const readFor = generation;
	const wave = await getWave(db, slug);
	waves.set(slug, { wave, at: now, generation: readFor });
	return wave;
}

export async function listWaves(db: Db, status?: WaveStatus): Promise<Wave[]> {
	let query = db.selectFrom('survey_wave').select(waveColumns).orderBy('id', 'desc');
	if (status) query = query.where('status', '=', status);
	const rows = await query.execute();
	return Promise.all(rows.map((r) => toWave(db, r)));
}

export type NewWave = {
	slug: string;
	versionId: number;
	title: { vi: string; en: string };
	description?: { vi: string; en: string };
	layout?: 'paged' | 'single';
	accessMode?: 'open' | 'invitation';
	resultsMode?: 'after_close' | 'live';
	unitIds: number[];
	agencyId?: number | null;
	opensOn?: string | null;
	closesOn?: string | null;
	targetResponses?: number | null;
};

export async function createWave(db: Db, wave: NewWave, actorId: string | null): Promise<number> {
	return inTransaction(db, async (trx) => {
		const { id } = await trx
			.insertInto('survey_wave')
			.values({
				slug: wave.slug,
				instrument_version_id: wave.versionId,
				title_vi: wave.title.vi,
				title_en: wave.title.en,
				description_vi: wave.description?.vi ?? '',
				description_en: wave.description?.en ?? '',
				layout: wave.layout ?? 'paged',
				access_mode: wave.accessMode ?? 'open',
				results_mode:
					wave.resultsMode ?? (wave.accessMode === 'invitation' ? 'after_close' : 'live'),
				agency_id: wave.agencyId ?? null,
				opens_on: wave.opensOn ?? null,
				closes_on: wave.closesOn ?? null,
				target_responses: wave.targetResponses ?? null,
				created_by: actorId
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		if (wave.unitIds.length) {
			await trx
				.insertInto('survey_wave_unit')
				.values(wave.unitIds.map((unit_id) => ({ wave_id: id, unit_id })))
				.execute();
		}
		await audit(trx, {
			actorId,
			action: 'wave.create',
			entityType: 'survey_wave',
			entityId: id,
			details: { slug: wave.slug }
		});
		return id;
	});
}

/** draft -> open -> closed; a wave opens only on a published instrument version. */
export async function setWaveStatus(
	db: Db,
	waveId: number,
	status: 'open' | 'closed',
	actorId: string | null
): Promise<void> {
	await inTransaction(db, async (trx) => {
		const wave = await trx
			.selectFrom('survey_wave as w')
			.innerJoin('instrument_version as v', 'v.id', 'w.instrument_version_id')
			.select(['w.status', 'v.status as version_status'])
			.where('w.id', '=', waveId)
			.forUpdate()
			.executeTakeFirst();
		if (!wave) throw refuseSurvey('not_found');
		const from = status === 'open' ? 'draft' : 'open';
		if (wave.status !== from) throw refuseSurvey('wave_state');
		if (status === 'open' && wave.version_status !== 'published') throw refuseSurvey('unpublished');
		await trx.updateTable('survey_wave').set({ status }).where('id', '=', waveId).execute();
		await audit(trx, {
			actorId,
			action: `wave.${status === 'open' ? 'open' : 'close'}`,
			entityType: 'survey_wave',
			entityId: waveId
		});
		await announce(trx, { topic: 'waves', id: waveId });
	});
}

const collator = new Intl.Collator('vi');

// A wave's units are fixed when it is created and the catalogue does not change under it.
const scopes = new WeakMap<Db, Map<string, Promise<readonly Commune[]>>>();

function cached(db: Db, key: string, query: () => Promise<Commune[]>) {
	let byKey = scopes.get(db);
	if (!byKey) scopes.set(db, (byKey = new Map()));
	let communes = byKey.get(key);
	if (!communes) {
		communes = query();
		byKey.set(key, communes);
		communes.catch(() => byKey.delete(key));
	}
	return communes;
}

/** The communes of the wave: its communes, or every current commune of its provinces. */
export function communesInScope(db: Db, waveId: number): Promise<readonly Commune[]> {
	return cached(db, `scope:${waveId}`, async () => {
		const { rows } = await sql<Commune>`
			select distinct c.id, c.code, c.name
			from survey_wave_unit wu
			join admin_unit u on u.id = wu.unit_id
			join admin_unit c on (c.id = u.id and c.level = 'commune') or (c.parent_id = u.id and c.level = 'commune')
			where wu.wave_id = ${waveId} and c.valid_to is null`.execute(db);
		return rows.sort((a, b) => collator.compare(a.name, b.name));
	});
}

/** The current communes of the wave's provinces that are not in the wave (none for a whole province). */
function communesElsewhere(db: Db, waveId: number): Promise<readonly Commune[]> {
	return cached(db, `province:${waveId}`, async () => {
		const { rows } = await sql<Commune>`
			select distinct c.id, c.code, c.name
			from survey_wave_unit wu
			join admin_unit u on u.id = wu.unit_id
			join admin_unit p on p.level = 'province' and (p.id = u.id or p.id = u.parent_id)
			join admin_unit c on c.parent_id = p.id and c.level = 'commune'
			where wu.wave_id = ${waveId} and c.valid_to is null`.execute(db);
		const inScope = new Set((await communesInScope(db, waveId)).map((c) => c.id));
		return rows.filter((c) => !inScope.has(c.id)).sort((a, b) => collator.compare(a.name, b.name));
	});
}

export type CommuneChoices = {
	/** the wave's communes: naming one gives the response its unit */
	inScope: readonly Commune[];
	/** the other communes of its provinces, for a respondent who lives elsewhere (no unit) */
	elsewhere: readonly Commune[];
	codes: ReadonlySet<string>;
};

/** The communes a respondent may name as where they live. */
export async function communeChoices(db: Db, waveId: number): Promise<CommuneChoices> {
	const [inScope, elsewhere] = await Promise.all([
		communesInScope(db, waveId),
		communesElsewhere(db, waveId)
	]);
	return { inScope, elsewhere, codes: new Set([...inScope, ...elsewhere].map((c) => c.code)) };
}
