import { sql } from 'kysely';
import type { Db } from '../db';
import type { AdminUnit } from '../db/schema';

/** The unit identified by its official code in force on a given day (`YYYY-MM-DD`). */
export async function findUnit(
	db: Db,
	code: string,
	onDate: string
): Promise<AdminUnit | undefined> {
	return db
		.selectFrom('admin_unit')
		.selectAll()
		.where('code', '=', code)
		.where((eb) => eb.or([eb('valid_from', 'is', null), eb('valid_from', '<=', onDate)]))
		.where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', onDate)]))
		.executeTakeFirst();
}

export type Successor = AdminUnit & { whole: boolean };

/**
 * The units a unit went into, following the succession map through every later reform until
 * units still in force are reached. A split unit has several successors, each with whole=false.
 */
export async function currentSuccessors(db: Db, unitId: number): Promise<Successor[]> {
	const { rows } = await sql<Successor>`
		with recursive chain(unit_id, whole, depth) as (
			select ${unitId}::integer, true, 0
			union all
			select s.new_unit_id, chain.whole and s.whole, chain.depth + 1
			from chain join admin_unit_succession s on s.old_unit_id = chain.unit_id
			where chain.depth < 20
		)
		select u.*, bool_and(chain.whole) as whole
		from chain join admin_unit u on u.id = chain.unit_id
		where u.valid_to is null
		group by u.id
		order by u.code`.execute(db);
	return rows;
}
