import type { InstrumentSpec } from '$lib/surveys/spec';
import type { Db } from '../db';
import {
	checkSpec,
	createInstrument,
	saveDraft,
	type InstrumentVersion,
	type SpecCheck
} from './instruments';

/**
 * Parses and validates an instrument given as JSON text; problems name the path of each error.
 * A `\u0000` in a text is dropped, as in form fields: PostgreSQL cannot store it (in jsonb either),
 * and the import would fail with a 500.
 */
export function checkSpecJson(text: string): SpecCheck {
	let json: unknown;
	try {
		json = JSON.parse(text, (_key, value: unknown) =>
			typeof value === 'string' ? value.replaceAll('\0', '') : value
		);
	} catch (e) {
		return { problems: [e instanceof Error ? e.message : String(e)] };
	}
	return checkSpec(json);
}

/** Imports a spec: a new instrument, or the next draft version of the instrument with its slug. */
export async function importSpec(
	db: Db,
	spec: InstrumentSpec,
	actorId: string
): Promise<InstrumentVersion> {
	const existing = await db
		.selectFrom('instrument')
		.select('id')
		.where('slug', '=', spec.slug)
		.executeTakeFirst();
	return existing ? saveDraft(db, existing.id, spec, actorId) : createInstrument(db, spec, actorId);
}

/** The exact JSON a version is exported as; importing it back gives the same spec. */
export function exportSpec(spec: InstrumentSpec): string {
	return `${JSON.stringify(spec, null, '\t')}\n`;
}
