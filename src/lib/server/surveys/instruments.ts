import type { EditResult } from '$lib/surveys/edit';
import { instrumentSpec, type InstrumentSpec } from '$lib/surveys/spec';
import { audit } from '../audit';
import { inTransaction, type Db } from '../db';
import { refuseSurvey } from './refusals';

export type InstrumentVersion = {
	id: number;
	instrumentId: number;
	version: number;
	status: 'draft' | 'published';
	spec: InstrumentSpec;
};

export type SpecCheck = { spec: InstrumentSpec } | { problems: string[] };

/** Validates a spec; problems name the path of each error. */
export function checkSpec(value: unknown): SpecCheck {
	const result = instrumentSpec.safeParse(value);
	if (result.success) return { spec: result.data };
	return {
		problems: result.error.issues
			.slice(0, 50)
			.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
	};
}

/** Reads a stored spec; a stored spec that no longer validates is a bug, not user input. */
function readSpec(json: unknown): InstrumentSpec {
	return instrumentSpec.parse(json);
}

type VersionRow = {
	id: number;
	instrument_id: number;
	version: number;
	status: 'draft' | 'published';
	spec: unknown;
};

/** Versions with every column a caller needs; narrow it with where/orderBy, then `first`. */
function versions(db: Db) {
	return db
		.selectFrom('instrument_version as v')
		.select(['v.id', 'v.instrument_id', 'v.version', 'v.status', 'v.spec']);
}

async function first(query: {
	executeTakeFirst(): Promise<VersionRow | undefined>;
}): Promise<InstrumentVersion | undefined> {
	const row = await query.executeTakeFirst();
	return (
		row && {
			id: row.id,
			instrumentId: row.instrument_id,
			version: row.version,
			status: row.status,
			spec: readSpec(row.spec)
		}
	);
}

export function getVersion(db: Db, id: number): Promise<InstrumentVersion | undefined> {
	return first(versions(db).where('v.id', '=', id));
}

// Published versions never change, so their parsed specs are kept for the process's life (per
// database: tests open several); a draft's spec is read afresh.
const publishedSpecs = new WeakMap<Db, Map<number, InstrumentSpec>>();

/** The spec of an instrument version; throws if the version does not exist. */
export async function specOfVersion(db: Db, versionId: number): Promise<InstrumentSpec> {
	let specs = publishedSpecs.get(db);
	if (!specs) publishedSpecs.set(db, (specs = new Map()));
	const cached = specs.get(versionId);
	if (cached) return cached;
	const version = await getVersion(db, versionId);
	if (!version) throw new Error(`instrument version ${versionId} is missing`);
	if (version.status === 'published') specs.set(versionId, version.spec);
	return version.spec;
}

async function insertDraftVersion(
	db: Db,
	instrumentId: number,
	version: number,
	spec: InstrumentSpec,
	actorId: string | null
): Promise<number> {
	const { id } = await db
		.insertInto('instrument_version')
		.values({
			instrument_id: instrumentId,
			version,
			status: 'draft',
			spec: JSON.stringify(spec),
			created_by: actorId
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return id;
}

/** Creates an instrument with its first version, as a draft. */
export async function createInstrument(
	db: Db,
	spec: InstrumentSpec,
	actorId: string | null
): Promise<InstrumentVersion> {
	return inTransaction(db, async (trx) => {
		const { id: instrumentId } = await trx
			.insertInto('instrument')
			.values({ slug: spec.slug, kind: spec.kind })
			.returning('id')
			.executeTakeFirstOrThrow();
		const id = await insertDraftVersion(trx, instrumentId, 1, spec, actorId);
		await audit(trx, {
			actorId,
			action: 'instrument.create',
			entityType: 'instrument',
			entityId: instrumentId,
			details: { slug: spec.slug }
		});
		return { id, instrumentId, version: 1, status: 'draft', spec };
	});
}

/**
 * Saves an edited spec. A draft is changed in place; editing a published version makes the next
 * version as a draft (or updates the draft that already follows it), never touching the old one.
 */
export async function saveDraft(
	db: Db,
	instrumentId: number,
	spec: InstrumentSpec,
	actorId: string | null
): Promise<InstrumentVersion> {
	return inTransaction(db, async (trx) => {
		const draft = await trx
			.selectFrom('instrument_version')
			.select(['id', 'version'])
			.where('instrument_id', '=', instrumentId)
			.where('status', '=', 'draft')
			.forUpdate()
			.executeTakeFirst();
		if (draft) {
			await trx
				.updateTable('instrument_version')
				.set({ spec: JSON.stringify(spec) })
				.where('id', '=', draft.id)
				.execute();
			await audit(trx, {
				actorId,
				action: 'instrument.edit',
				entityType: 'instrument_version',
				entityId: draft.id
			});
			return { id: draft.id, instrumentId, version: draft.version, status: 'draft', spec };
		}
		const latest = await trx
			.selectFrom('instrument_version')
			.select((eb) => eb.fn.max('version').as('v'))
			.where('instrument_id', '=', instrumentId)
			.executeTakeFirstOrThrow();
		const version = Number(latest.v ?? 0) + 1;
		const id = await insertDraftVersion(trx, instrumentId, version, spec, actorId);
		await audit(trx, {
			actorId,
			action: 'instrument.new_version',
			entityType: 'instrument_version',
			entityId: id,
			details: { version }
		});
		return { id, instrumentId, version, status: 'draft', spec };
	});
}

export type EditOutcome = { saved: InstrumentVersion } | { error: string } | { problems: string[] };

/**
 * Applies one edit to the newest version of an instrument and saves the result as its draft
 * (a new version when the newest is published). The instrument row is locked meanwhile, so two
 * people editing at once each build on the other's change.
 */
export async function editNewest(
	db: Db,
	instrumentId: number,
	edit: (spec: InstrumentSpec) => EditResult,
	actorId: string | null
): Promise<EditOutcome> {
	return inTransaction(db, async (trx) => {
		await trx
			.selectFrom('instrument')
			.select('id')
			.where('id', '=', instrumentId)
			.forUpdate()
			.executeTakeFirstOrThrow();
		const newest = await newestVersion(trx, instrumentId);
		if (!newest) throw new Error(`instrument ${instrumentId} has no version`);
		const edited = edit(newest.spec);
		if ('error' in edited) return edited;
		const checked = checkSpec(edited.spec);
		if ('problems' in checked) return checked;
		return { saved: await saveDraft(trx, instrumentId, checked.spec, actorId) };
	});
}

/** Freezes a draft version. */
export async function publishVersion(
	db: Db,
	versionId: number,
	actorId: string | null
): Promise<boolean> {
	return inTransaction(db, async (trx) => {
		const published = await trx
			.updateTable('instrument_version')
			.set({ status: 'published', published_at: new Date(), published_by: actorId })
			.where('id', '=', versionId)
			.where('status', '=', 'draft')
			.returning('id')
			.executeTakeFirst();
		if (!published) return false;
		await audit(trx, {
			actorId,
			action: 'instrument.publish',
			entityType: 'instrument_version',
			entityId: versionId
		});
		return true;
	});
}

/** The newest version of an instrument, draft or published: the one staff edit. */
export function newestVersion(
	db: Db,
	instrumentId: number
): Promise<InstrumentVersion | undefined> {
	return first(
		versions(db).where('v.instrument_id', '=', instrumentId).orderBy('v.version', 'desc')
	);
}

/** The latest published version of the instrument with this slug. */
export function latestPublished(db: Db, slug: string): Promise<InstrumentVersion | undefined> {
	return first(
		versions(db)
			.innerJoin('instrument as i', 'i.id', 'v.instrument_id')
			.where('i.slug', '=', slug)
			.where('v.status', '=', 'published')
			.orderBy('v.version', 'desc')
	);
}

/** A version of an instrument by its number, from route parameters (anything odd: undefined). */
export function versionByNumber(
	db: Db,
	instrumentId: unknown,
	version: unknown
): Promise<InstrumentVersion | undefined> {
	return first(
		versions(db)
			.where('v.instrument_id', '=', Number(instrumentId) || 0)
			.where('v.version', '=', Number(version) || 0)
	);
}

/** The version a staff page names (`/fieldwork/instruments/[id]/…?version=n`), else not found. */
export async function askedVersion(
	db: Db,
	asked: { params: { id: string }; url: URL }
): Promise<InstrumentVersion> {
	const found = await versionByNumber(db, asked.params.id, asked.url.searchParams.get('version'));
	if (!found) throw refuseSurvey('not_found');
	return found;
}
