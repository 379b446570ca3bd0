import type { Db } from '../db';

export const DEPLOYMENT_UNIT_KEY = 'deployment_unit_id';

export type DeploymentOverview = {
	province: { id: number; name: string } | null;
	agencies: number;
	communes: number;
};

/** The province this portal serves (set by the demo seed or by an admin) and a few counts. */
export async function deploymentOverview(db: Db): Promise<DeploymentOverview> {
	const province = await db
		.selectFrom('app_meta')
		.innerJoin('admin_unit', (join) =>
			join.on((eb) => eb('admin_unit.id', '=', eb.cast<number>('app_meta.value', 'integer')))
		)
		.select(['admin_unit.id', 'admin_unit.name'])
		.where('app_meta.key', '=', DEPLOYMENT_UNIT_KEY)
		.executeTakeFirst();
	if (!province) return { province: null, agencies: 0, communes: 0 };
	const [agencies, communes] = await Promise.all([
		db
			.selectFrom('agency')
			.innerJoin('admin_unit', 'admin_unit.id', 'agency.unit_id')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where((eb) =>
				eb.or([eb('admin_unit.id', '=', province.id), eb('admin_unit.parent_id', '=', province.id)])
			)
			.executeTakeFirstOrThrow(),
		db
			.selectFrom('admin_unit')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('parent_id', '=', province.id)
			.executeTakeFirstOrThrow()
	]);
	return { province, agencies: Number(agencies.n), communes: Number(communes.n) };
}
