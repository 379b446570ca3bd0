import { sql, type RawBuilder } from 'kysely';
import type { IsoDate } from '$lib/deadlines/working-days';

/**
 * The rule of `$lib/dossiers/lateness` as SQL over the `dossier` table (alias `d`), for queries
 * that count or list many dossiers. `today` is the Việt Nam day the figures are taken on.
 * Keep the two in step: tests/db/dossiers.test.ts checks them against each other.
 */
export function lateSql(today: IsoDate): RawBuilder<boolean> {
	return sql<boolean>`(d.due_on is not null and (case when d.completed_on is not null
		then d.completed_on > d.due_on else ${today}::date > d.due_on end))`;
}

/** The decided month (first day, as text) of every dossier with an outcome, else null. */
export function decidedMonthSql(today: IsoDate): RawBuilder<string | null> {
	return sql<string | null>`to_char(date_trunc('month', case
		when ${lateSql(today)} then d.due_on + 1
		else d.completed_on end), 'YYYY-MM-DD')`;
}
