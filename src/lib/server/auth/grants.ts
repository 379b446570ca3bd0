import type { Grant } from '$lib/auth/access';
import type { Db } from '../db';

export type DescribedGrant = Grant & { agencyName: string | null; unitName: string | null };

/** Grants with the names of their agency and unit, for showing a user what they may do. */
export async function describeGrants(db: Db, grants: readonly Grant[]): Promise<DescribedGrant[]> {
	const agencyIds = grants.flatMap((g) => (g.agencyId === null ? [] : [g.agencyId]));
	const unitIds = grants.flatMap((g) => (g.unitId === null ? [] : [g.unitId]));
	const [agencies, units] = await Promise.all([
		agencyIds.length
			? db
					.selectFrom('agency')
					.select(['id', 'name_vi', 'name_en'])
					.where('id', 'in', agencyIds)
					.execute()
			: [],
		unitIds.length
			? db.selectFrom('admin_unit').select(['id', 'name']).where('id', 'in', unitIds).execute()
			: []
	]);
	return grants.map((g) => ({
		...g,
		agencyName: agencies.find((a) => a.id === g.agencyId)?.name_vi ?? null,
		unitName: units.find((u) => u.id === g.unitId)?.name ?? null
	}));
}
