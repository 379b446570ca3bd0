import { sql } from 'kysely';
import { inTransaction, type Db } from '../src/lib/server/db';
import { loadUnitCatalogues } from '../src/lib/server/units/catalogue';
import before from './admin-units/units-pre2025.csv?raw';
import after from './admin-units/units-2025.csv?raw';
import succession from './admin-units/succession.csv?raw';
import readme from './admin-units/README.md?raw';

export const ADMIN_UNITS_DATASET = 'admin-units';

// The reform took effect on 1 July 2025; the pre-2025 catalogue is the state just before it.
const REFORM_DATE = '2025-07-01';

/** The copyright and permission notice of the sources, kept with the data as their licence asks. */
function licenceNotice(): string {
	const notice = readme.match(/```\n(Copyright[\s\S]*?)```/);
	if (!notice?.[1]) throw new Error('seeds/admin-units/README.md has lost its licence notice');
	return notice[1].trim();
}

/** Loads the unit catalogues once; later calls see the dataset row and do nothing. */
export async function ensureAdminUnits(db: Db): Promise<boolean> {
	return inTransaction(db, async (trx) => {
		// Serialises app instances starting together against one PostgreSQL server.
		await sql`select pg_advisory_xact_lock(hashtext('civic-voice:admin-units'))`.execute(trx);
		const loaded = await trx
			.selectFrom('reference_dataset')
			.select('name')
			.where('name', '=', ADMIN_UNITS_DATASET)
			.executeTakeFirst();
		if (loaded) return false;
		const rows = await loadUnitCatalogues(trx, {
			before: { validFrom: null, validTo: REFORM_DATE, csv: before },
			after: { validFrom: REFORM_DATE, validTo: null, csv: after },
			successionCsv: succession
		});
		await trx
			.insertInto('reference_dataset')
			.values({
				name: ADMIN_UNITS_DATASET,
				source:
					'General Statistics Office (Cục Thống kê) unit catalogues before and after 1 July 2025 and the official conversion table, as compiled in seeds/admin-units/README.md (vn-address-kit, vietnamadminunits, vietnamese-provinces-database)',
				licence: licenceNotice(),
				row_count: rows
			})
			.execute();
		return true;
	});
}
