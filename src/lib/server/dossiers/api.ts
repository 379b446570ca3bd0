import { z } from 'zod';
import {
	checkRecord,
	checkRepeats,
	MAX_RECORDS,
	type DossierRecord,
	type RawRecord,
	type RecordProblem
} from '$lib/dossiers/records';

/**
 * The body of POST /api/dossiers: `{ "dossiers": [ { code, procedure, field, received, due,
 * completed, channel, returned, agency, handler, handlingUnit, email, phone } ] }`, the CSV's
 * columns by their English names, dates as `yyyy-mm-dd` or `dd/mm/yyyy`, channel
 * `online`/`offline` (or the Vietnamese words). A problem's `line` is the record's position,
 * from 1.
 */
const cell = z
	.union([z.string(), z.number()])
	.nullish()
	.transform((v) => (v == null ? '' : String(v)));

const bodySchema = z.object({
	dossiers: z
		.array(
			z.object({
				code: cell,
				procedure: cell,
				field: cell,
				agency: cell,
				received: cell,
				due: cell,
				completed: cell,
				channel: cell,
				returned: cell,
				handler: cell,
				handlingUnit: cell,
				email: cell,
				phone: cell
			})
		)
		.min(1)
		.max(MAX_RECORDS)
});

export function readDossierJson(
	body: unknown
): { records: DossierRecord[] } | { problems: RecordProblem[] } | { malformed: true } {
	const parsed = bodySchema.safeParse(body);
	if (!parsed.success) return { malformed: true };
	const problems: RecordProblem[] = [];
	const records: DossierRecord[] = [];
	parsed.data.dossiers.forEach((raw: RawRecord, i) => {
		const record = checkRecord(raw, i + 1, problems);
		if (record) records.push(record);
	});
	checkRepeats(records, problems);
	return problems.length ? { problems } : { records };
}
