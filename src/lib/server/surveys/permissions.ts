/**
 * Who may do what in fieldwork (questionnaires, waves, interviews): the single statement, read by
 * the survey services, the routes, analytics/permissions.ts and the authorization matrix
 * (e2e/authz). Pure: the staff's grants and the object's units decide, each unit with the units
 * above it (`Units`), which scope.ts loads from the database and the matrix takes from its
 * fixtures. A unit covers itself and everything below it.
 */
import { analystUnits, type Grant } from '$lib/auth/access';

/** The units a staff member covers (each with everything below it), or every unit. */
export type UnitScope = number[] | 'all';

/** Some units, each with the units above it, itself included (a unit missing is covered by none). */
export type Units = { ids: readonly number[]; above: ReadonlyMap<number, readonly number[]> };

/**
 * The units a staff member may run surveys for: every unit for an admin or an unscoped analyst;
 * otherwise the analyst's units and everything below them.
 */
export function fieldworkScope(grants: readonly Grant[]): UnitScope {
	if (grants.some((g) => g.role === 'admin' || (g.role === 'analyst' && g.unitId === null)))
		return 'all';
	return grants
		.filter((g) => g.role === 'analyst' && g.unitId !== null)
		.map((g) => g.unitId as number);
}

/** The units among `units` that `scope` does not cover. */
export function unitsOutside(scope: UnitScope, units: Units): number[] {
	if (scope === 'all' || units.ids.length === 0) return [];
	return units.ids.filter((id) => !(units.above.get(id) ?? []).some((u) => scope.includes(u)));
}

/** Whether a staff member runs a wave (sees, opens, closes, weights it): its units are in scope. */
export function mayRunWave(grants: readonly Grant[], units: Units): boolean {
	return unitsOutside(fieldworkScope(grants), units).length === 0;
}

/**
 * Whether a staff member may change an instrument (edit its questions, import a version, publish).
 * An instrument carries no unit and any wave may use it, so this needs scope over every unit whose
 * waves can use it (`units`: the deployment's province and the units of the waves already on it;
 * null when the deployment has no province). An analyst for all units or with those in their
 * units may; so may an admin who also holds the analyst role. Everyone else in fieldwork reads.
 */
export function mayChangeInstrument(grants: readonly Grant[], units: Units | null): boolean {
	if (!grants.some((g) => g.role === 'analyst')) return false;
	const scope = analystUnits(grants);
	if (scope === 'all' || grants.some((g) => g.role === 'admin')) return true;
	if (!units) return false;
	return unitsOutside(scope, units).length === 0;
}

/** Whether a staff member holds the interviewer role at all (interviewer mode on a survey). */
export function isInterviewer(grants: readonly Grant[]): boolean {
	return grants.some((g) => g.role === 'interviewer');
}

/**
 * Whether an interviewer works on a wave: an interviewer grant for all units, or whose units
 * cover every unit of the wave (which has at least one).
 */
export function mayInterview(grants: readonly Grant[], units: Units): boolean {
	const mine = grants.filter((g) => g.role === 'interviewer');
	if (mine.length === 0) return false;
	if (mine.some((g) => g.unitId === null)) return true;
	const scope = mine.map((g) => g.unitId as number);
	return units.ids.length > 0 && unitsOutside(scope, units).length === 0;
}
