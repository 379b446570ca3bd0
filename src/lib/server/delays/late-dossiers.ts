import { sql } from 'kysely';
import type { IsoDate } from '$lib/deadlines/working-days';
import type { LateDossier } from '$lib/delays/list';
import type { Db } from '../db';
import { decidedMonthSql, lateSql } from '../dossiers/lateness';

/**
 * The dossiers of `agencyId` that became late in `month` (the shared lateness rule: their late
 * month), with who handled them; never their code. `today` is the Việt Nam day of the list.
 */
export async function lateDossiers(
	db: Db,
	agencyId: number,
	month: IsoDate,
	today: IsoDate
): Promise<LateDossier[]> {
	const rows = await db
		.selectFrom('dossier as d')
		.select([
			'd.handling_unit as unit',
			'd.handler',
			'd.procedure',
			'd.field',
			sql<string>`d.received_on::text`.as('receivedOn'),
			sql<string>`d.due_on::text`.as('dueOn'),
			sql<string | null>`d.completed_on::text`.as('completedOn')
		])
		.where('d.agency_id', '=', agencyId)
		.where(lateSql(today))
		.where(decidedMonthSql(today), '=', month)
		.orderBy('d.id')
		.execute();
	return rows;
}
