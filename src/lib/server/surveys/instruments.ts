import { instrumentSpec, type InstrumentSpec } from '$lib/surveys/spec';
import { audit } from '../audit';
import { inTransaction, type Db } from '../db';

export type InstrumentVersion = {
	id: number;
	instrumentId: number;
	version: number;
	status: 'draft' | 'published';
	spec: InstrumentSpec;
};

/** Reads a stored spec; a stored spec that no longer validates is a bug, not user input. */
function readSpec(json: unknown): InstrumentSpec {
	return instrumentSpec.parse(json);
}

export async function getVersion(db: Db, id: number): Promise<InstrumentVersion | undefined> {
	const row = await db
		.selectFrom('instrument_version')
		.select(['id', 'instrument_id', 'version', 'status', 'spec'])
		.where('id', '=', id)
		.executeTakeFirst();
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

/** The latest published version of the instrument with this slug. */
export async function latestPublished(
	db: Db,
	slug: string
): Promise<InstrumentVersion | undefined> {
	const row = await db
		.selectFrom('instrument_version as v')
		.innerJoin('instrument as i', 'i.id', 'v.instrument_id')
		.select(['v.id'])
		.where('i.slug', '=', slug)
		.where('v.status', '=', 'published')
		.orderBy('v.version', 'desc')
		.executeTakeFirst();
	return row && getVersion(db, row.id);
}

/** A version of an instrument by its number, from route parameters (anything odd: undefined). */
export async function versionByNumber(
	db: Db,
	instrumentId: unknown,
	version: unknown
): Promise<InstrumentVersion | undefined> {
	const row = await db
		.selectFrom('instrument_version')
		.select('id')
		.where('instrument_id', '=', Number(instrumentId) || 0)
		.where('version', '=', Number(version) || 0)
		.executeTakeFirst();
	return row && getVersion(db, row.id);
}
