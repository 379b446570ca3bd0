import { sql } from 'kysely';
import type { Db } from '../db';
import { DEPLOYMENT_UNIT_KEY } from '../units/deployment';

/**
 * Whether an agency may publish disclosures about a unit: the unit is in force, inside the
 * deployment's province (the province itself or below it), and it is the agency's own unit or
 * one below it. A commune's People's Committee publishes for its commune only; a provincial
 * department for the province and its communes.
 */
export async function isServedArea(db: Db, agencyId: number, unitId: number): Promise<boolean> {
	const { rows } = await sql<{ in_province: boolean; served: boolean }>`
		with recursive up(id, parent_id, depth) as (
			select u.id, u.parent_id, 0 from admin_unit u
			where u.id = ${unitId} and u.valid_to is null
			union all
			select p.id, p.parent_id, up.depth + 1 from up join admin_unit p on p.id = up.parent_id
			where up.depth < 5
		)
		select
			exists (
				select 1 from up
				where up.id::text = (select value from app_meta where key = ${DEPLOYMENT_UNIT_KEY})
			) as in_province,
			exists (select 1 from up join agency a on a.unit_id = up.id where a.id = ${agencyId}) as served
	`.execute(db);
	return !!rows[0]?.in_province && !!rows[0]?.served;
}
