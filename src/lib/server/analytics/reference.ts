import { z } from 'zod';
import { isSummaryLevel, measuresOf } from '$lib/analytics/scoring';
import { m } from '$lib/paraglide/messages';
import type { Grant } from '$lib/auth/access';
import type { Text } from '$lib/surveys/spec';
import { tr } from '$lib/surveys/localize';
import { audit } from '../audit';
import { inTransaction, type Db } from '../db';
import { invalidInput, refusals } from '../forms/refusal';
import { mayEditReference } from './permissions';
import { unitsWithAncestry } from '../surveys/scope';
import { latestPublished } from '../surveys/instruments';
import { deploymentOverview } from '../units/deployment';

/** What the reference figures refuse, and the status each answers with. */
const refuse = refusals({
	no_province: [404, m.ref_error_no_province],
	scope: [403, m.ref_error_scope],
	measure: [400, m.ref_error_measure],
	gone: [409, m.ref_error_gone]
});

/**
 * What analysts put beside the portal's own estimates: the province's official published
 * PAPI/SIPAS figures (per year and measure) and targets (per measure). Values are entered as
 * people read them, a share as a percentage (90 for 90%), and stored on the measure's own scale.
 */
export type ReferenceMeasure = { code: string; title: Text; range: number };
export type ReferenceInstrument = {
	id: number;
	slug: string;
	measures: ReferenceMeasure[];
};

/** Each instrument with scores, its index, sub-index and section measures (newest published). */
export async function referenceInstruments(db: Db): Promise<ReferenceInstrument[]> {
	const instruments = await db
		.selectFrom('instrument')
		.select(['id', 'slug'])
		.where('kind', '!=', 'other')
		.orderBy('id')
		.execute();
	const result: ReferenceInstrument[] = [];
	for (const i of instruments) {
		const version = await latestPublished(db, i.slug);
		if (!version) continue;
		const measures = measuresOf(version.spec)
			.filter((x) => isSummaryLevel(x.level))
			.map((x) => ({ code: x.code, title: x.title, range: x.range }));
		if (measures.length) result.push({ ...i, measures });
	}
	return result;
}

const number = () =>
	z
		.string()
		.trim()
		.transform((s) => s.replace(',', '.'))
		.pipe(
			z
				.string()
				.regex(/^-?\d+(\.\d+)?$/, { error: () => m.ref_value_invalid() })
				.transform(Number)
		);

export const officialSchema = z.object({
	measureRef: z.string().regex(/^\d+:[a-z0-9_]+$/, { error: () => m.error_required() }),
	year: z.coerce
		.number({ error: () => m.ref_year_invalid() })
		.int({ error: () => m.ref_year_invalid() })
		.min(2009, { error: () => m.ref_year_invalid() })
		.max(2100, { error: () => m.ref_year_invalid() }),
	value: number(),
	source: z.string().trim().max(300).default('')
});
export const targetSchema = z.object({
	measureRef: z.string().regex(/^\d+:[a-z0-9_]+$/, { error: () => m.error_required() }),
	value: number(),
	note: z.string().trim().max(300).default('')
});

/** The instrument and measure a "<instrument id>:<measure code>" reference names, if any. */
export function findMeasure(instruments: readonly ReferenceInstrument[], ref: string) {
	const [id, code] = ref.split(':');
	const instrument = instruments.find((i) => String(i.id) === id);
	const measure = instrument?.measures.find((x) => x.code === code);
	return instrument && measure ? { instrument, measure } : undefined;
}

/** A value as entered (a share in percent) on the measure's own scale, or null if out of range. */
export function storedValue(measure: ReferenceMeasure, entered: number): number | null {
	const value = measure.range === 1 ? entered / 100 : entered;
	return value >= 0 && value <= measure.range ? value : null;
}

/**
 * The province whose figures these are, and whether `grants` may change them: the analyst's
 * scope must cover the whole province.
 */
export async function referenceProvince(db: Db, grants: readonly Grant[]) {
	const { province } = await deploymentOverview(db);
	if (!province) throw refuse('no_province');
	const mayEdit = mayEditReference(grants, await unitsWithAncestry(db, [province.id]));
	return { province, mayEdit };
}

/** The province, when `grants` may change its figures; refused otherwise. */
export async function editableProvince(db: Db, grants: readonly Grant[]) {
	const { province, mayEdit } = await referenceProvince(db, grants);
	if (!mayEdit) throw refuse('scope');
	return province;
}

/**
 * The measure a form names (refused beside its list when unknown), its title in the request's
 * language, and the value entered on the measure's scale (refused beside the value when outside).
 */
export async function enteredMeasure(db: Db, measureRef: string, entered?: number) {
	const found = findMeasure(await referenceInstruments(db), measureRef);
	if (!found) throw refuse('measure', 'measureRef');
	const title = tr(found.measure.title);
	if (entered === undefined) return { ...found, title, value: 0 };
	const value = storedValue(found.measure, entered);
	if (value === null) {
		const max = found.measure.range === 1 ? 100 : found.measure.range;
		throw invalidInput({ value: m.ref_value_range({ max }) }, m.common_error_invalid);
	}
	return { ...found, title, value };
}

/** A measure's title in the request's language, or its code when no published version has it. */
export async function measureTitle(db: Db, instrumentId: number, code: string): Promise<string> {
	const found = findMeasure(await referenceInstruments(db), `${instrumentId}:${code}`);
	return found ? tr(found.measure.title) : code;
}

export async function saveOfficialResult(
	db: Db,
	r: {
		instrumentId: number;
		unitId: number;
		year: number;
		measure: string;
		value: number;
		source: string;
	},
	actorId: string
): Promise<void> {
	await inTransaction(db, async (trx) => {
		await trx
			.insertInto('official_result')
			.values({
				instrument_id: r.instrumentId,
				unit_id: r.unitId,
				year: r.year,
				measure: r.measure,
				value: r.value,
				source: r.source,
				entered_by: actorId
			})
			.onConflict((oc) =>
				oc.constraint('official_result_unique').doUpdateSet({
					value: r.value,
					source: r.source,
					entered_by: actorId,
					entered_at: new Date()
				})
			)
			.execute();
		await audit(trx, {
			actorId,
			action: 'analytics.official_result',
			entityType: 'instrument',
			entityId: r.instrumentId,
			details: { year: r.year, measure: r.measure, value: r.value, unitId: r.unitId }
		});
	});
}

/** Deletes one official result of the province; returns what it was, refused when already gone. */
export async function deleteOfficialResult(db: Db, id: number, unitId: number, actorId: string) {
	return inTransaction(db, async (trx) => {
		const gone = await trx
			.deleteFrom('official_result')
			.where('id', '=', id)
			.where('unit_id', '=', unitId)
			.returning(['instrument_id', 'year', 'measure'])
			.executeTakeFirst();
		if (!gone) throw refuse('gone');
		await audit(trx, {
			actorId,
			action: 'analytics.official_result_delete',
			entityType: 'instrument',
			entityId: gone.instrument_id,
			details: { year: gone.year, measure: gone.measure }
		});
		return gone;
	});
}

export async function saveTarget(
	db: Db,
	t: { instrumentId: number; measure: string; value: number; note: string },
	actorId: string
): Promise<void> {
	await inTransaction(db, async (trx) => {
		await trx
			.insertInto('measure_target')
			.values({ instrument_id: t.instrumentId, measure: t.measure, value: t.value, note: t.note })
			.onConflict((oc) =>
				oc.columns(['instrument_id', 'measure']).doUpdateSet({ value: t.value, note: t.note })
			)
			.execute();
		await audit(trx, {
			actorId,
			action: 'analytics.target',
			entityType: 'instrument',
			entityId: t.instrumentId,
			details: { measure: t.measure, value: t.value }
		});
	});
}

/** Deletes the target of a measure; refused when it is already gone. */
export async function deleteTarget(db: Db, instrumentId: number, measure: string, actorId: string) {
	await inTransaction(db, async (trx) => {
		const gone = await trx
			.deleteFrom('measure_target')
			.where('instrument_id', '=', instrumentId)
			.where('measure', '=', measure)
			.returning('measure')
			.executeTakeFirst();
		if (!gone) throw refuse('gone');
		await audit(trx, {
			actorId,
			action: 'analytics.target_delete',
			entityType: 'instrument',
			entityId: instrumentId,
			details: { measure }
		});
	});
}

export async function referenceFigures(db: Db, unitId: number) {
	const [official, targets] = await Promise.all([
		db
			.selectFrom('official_result')
			.select(['id', 'instrument_id', 'year', 'measure', 'value', 'source'])
			.where('unit_id', '=', unitId)
			.orderBy('instrument_id')
			.orderBy('year', 'desc')
			.orderBy('measure')
			.execute(),
		db
			.selectFrom('measure_target')
			.select(['instrument_id', 'measure', 'value', 'note'])
			.orderBy('instrument_id')
			.orderBy('measure')
			.execute()
	]);
	return { official, targets };
}
