import { z } from 'zod';
import type { Db } from '../db';
import type { UnitLevel } from '../db/schema';

/** One administrative-unit catalogue: the units in force over one period. */
export type Catalogue = {
	/** `YYYY-MM-DD` inclusive, or null for "before the records begin" */
	validFrom: string | null;
	/** `YYYY-MM-DD` exclusive, or null for "still in force" */
	validTo: string | null;
	csv: string;
};

const unitRow = z.object({
	code: z.string().regex(/^\d{2}(\d|\d{3})?$/),
	name: z.string().min(1),
	level: z.enum(['province', 'district', 'commune']),
	parent_code: z.string().regex(/^\d*$/)
});

const successionRow = z.object({
	old_code: z.string().regex(/^\d+$/),
	old_level: z.enum(['province', 'district', 'commune']),
	new_code: z.string().regex(/^\d+$/),
	new_level: z.enum(['province', 'commune']),
	whole: z.enum(['true', 'false'])
});

/**
 * Parses the statistics-office CSV files shipped in seeds/admin-units (plain comma-separated,
 * no quoting; see that folder's README). Any row that does not fit fails the whole load.
 */
export function parseCsv<T>(text: string, row: z.ZodType<T>): T[] {
	const lines = text
		.replace(/\r\n/g, '\n')
		.split('\n')
		.filter((l) => l.length > 0);
	const header = lines[0]?.split(',') ?? [];
	return lines.slice(1).map((line, i) => {
		const cells = line.split(',');
		const parsed = row.safeParse(Object.fromEntries(header.map((h, j) => [h, cells[j]])));
		if (!parsed.success || cells.length !== header.length) {
			throw new Error(`Line ${i + 2}: not a valid row: ${line}`);
		}
		return parsed.data;
	});
}

const BATCH = 1000;

async function insertCatalogue(db: Db, catalogue: Catalogue): Promise<Map<string, number>> {
	const rows = parseCsv(catalogue.csv, unitRow);
	const ids = new Map<string, number>();
	// Level by level, so that every parent has its id before its children are written.
	for (const level of ['province', 'district', 'commune'] as const) {
		const ofLevel = rows.filter((r) => r.level === level);
		for (let i = 0; i < ofLevel.length; i += BATCH) {
			const values = ofLevel.slice(i, i + BATCH).map((r) => {
				const parentId = r.parent_code ? ids.get(r.parent_code) : null;
				if (parentId === undefined) {
					throw new Error(`Unit ${r.code}: unknown parent ${r.parent_code}`);
				}
				return {
					code: r.code,
					name: r.name,
					level: r.level as UnitLevel,
					parent_id: parentId,
					valid_from: catalogue.validFrom,
					valid_to: catalogue.validTo
				};
			});
			const inserted = await db
				.insertInto('admin_unit')
				.values(values)
				.returning(['id', 'code'])
				.execute();
			for (const u of inserted) ids.set(u.code, u.id);
		}
	}
	return ids;
}

export type UnitCatalogues = { before: Catalogue; after: Catalogue; successionCsv: string };

/**
 * Loads both catalogues and the succession map between them; returns the rows written.
 * Call it inside a transaction, so that a failed load leaves nothing behind.
 */
export async function loadUnitCatalogues(trx: Db, data: UnitCatalogues): Promise<number> {
	const oldIds = await insertCatalogue(trx, data.before);
	const newIds = await insertCatalogue(trx, data.after);
	const edges = parseCsv(data.successionCsv, successionRow).map((r) => {
		const oldId = oldIds.get(r.old_code);
		const newId = newIds.get(r.new_code);
		if (oldId === undefined || newId === undefined) {
			throw new Error(`Succession ${r.old_code} -> ${r.new_code}: unknown unit`);
		}
		return { old_unit_id: oldId, new_unit_id: newId, whole: r.whole === 'true' };
	});
	for (let i = 0; i < edges.length; i += BATCH) {
		await trx
			.insertInto('admin_unit_succession')
			.values(edges.slice(i, i + BATCH))
			.execute();
	}
	return oldIds.size + newIds.size + edges.length;
}
