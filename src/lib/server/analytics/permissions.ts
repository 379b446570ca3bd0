/**
 * Who may read and export what in analytics: the single statement, read by the analytics services,
 * the routes and the authorization matrix (e2e/authz). Pure, like surveys/permissions.ts, whose
 * unit scope it shares: a wave's or a province's units, each with the units above it, decide.
 * (Entering analytics at all is the analyst role: AREA_ROLES in $lib/auth/access.)
 */
import type { Grant } from '$lib/auth/access';
import { fieldworkScope, unitsOutside, type UnitScope, type Units } from '../surveys/permissions';

/** Whether a staff member reads a wave's results: every unit of the wave is in their scope. */
export function mayReadWave(grants: readonly Grant[], units: Units): boolean {
	return unitsOutside(fieldworkScope(grants), units).length === 0;
}

/** Whether a staff member changes the province's reference figures: their scope covers it all. */
export function mayEditReference(grants: readonly Grant[], province: Units): boolean {
	return unitsOutside(fieldworkScope(grants), province).length === 0;
}

/**
 * The units whose waves' microdata (one row per response) a staff member may download: an
 * analyst needs the microdata grant as well, for those units or for all.
 */
export function microdataScope(grants: readonly Grant[]): UnitScope {
	if (!grants.some((g) => g.role === 'analyst')) return [];
	const granted = grants.filter((g) => g.role === 'microdata');
	if (granted.some((g) => g.unitId === null)) return 'all';
	return granted.map((g) => g.unitId as number);
}

/** Whether the staff member holds the microdata grant for every unit of the wave. */
export function mayExportMicrodata(grants: readonly Grant[], units: Units): boolean {
	const scope = microdataScope(grants);
	if (scope !== 'all' && scope.length === 0) return false;
	return unitsOutside(scope, units).length === 0;
}
