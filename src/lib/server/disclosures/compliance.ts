import {
	complianceState,
	daysLate,
	dueOn,
	watchedPeriods,
	type ComplianceState
} from '$lib/disclosures/schedule';
import type { Db } from '../db';
import { servedUnits } from '../reference';

export type ComplianceCell = {
	unitId: number;
	typeCode: string;
	period: string | null;
	due: string | null;
	state: ComplianceState;
	disclosureId: number | null;
	/** for a published item with a due date: days after it that it was first published (0: on time) */
	daysLate: number | null;
};

/**
 * For every unit that must publish a scheduled or one-off type (the deployment's province, or
 * each of its communes), the state of each item watched now: published, due soon, overdue,
 * upcoming, or, for a one-off type never published, missing.
 */
export async function compliance(db: Db, now = new Date()) {
	const [types, units, published] = await Promise.all([
		db
			.selectFrom('disclosure_type')
			.select(['code', 'name_vi', 'name_en', 'unit_level', 'frequency', 'due_from', 'due_days'])
			.where('frequency', 'in', ['once', 'yearly', 'quarterly'])
			.where('unit_level', 'in', ['province', 'commune'])
			.orderBy('position')
			.execute(),
		servedUnits(db),
		// withdrawn items count as not published: the obligation is not met. Only an item of an
		// agency that serves the area counts (its unit, or the province above a commune): an
		// item another commune put on this one meets nothing.
		db
			.selectFrom('disclosure as d')
			.innerJoin('agency as a', 'a.id', 'd.agency_id')
			.innerJoin('admin_unit as u', 'u.id', 'd.unit_id')
			.select(['d.id', 'd.unit_id', 'd.type_code', 'd.period', 'd.first_published_at'])
			.where('d.status', '=', 'published')
			.where((eb) =>
				eb.or([eb('a.unit_id', '=', eb.ref('u.id')), eb('a.unit_id', '=', eb.ref('u.parent_id'))])
			)
			.execute()
	]);
	const found = new Map(published.map((p) => [`${p.unit_id}|${p.type_code}|${p.period}`, p]));
	const cells: ComplianceCell[] = [];
	for (const t of types) {
		const schedule = { frequency: t.frequency, dueFrom: t.due_from, dueDays: t.due_days };
		const periods = t.frequency === 'once' ? [null] : watchedPeriods(schedule, now);
		for (const u of units.filter((x) => x.level === t.unit_level)) {
			for (const period of periods) {
				const item = found.get(`${u.id}|${t.code}|${period}`);
				const due = period === null ? null : dueOn(schedule, period);
				cells.push({
					unitId: u.id,
					typeCode: t.code,
					period,
					due,
					state: complianceState(due, item !== undefined, now),
					disclosureId: item?.id ?? null,
					daysLate: item ? daysLate(due, item.first_published_at) : null
				});
			}
		}
	}
	return {
		types: types.map((t) => ({ code: t.code, vi: t.name_vi, en: t.name_en, level: t.unit_level })),
		units: units.map((u) => ({ id: u.id, name: u.name, level: u.level })),
		cells
	};
}

/** How many items are in each state; `late` counts the published ones published after their due date. */
export type ComplianceCount = Record<ComplianceState | 'late', number>;

export function countStates(cells: readonly ComplianceCell[]): ComplianceCount {
	const counts: ComplianceCount = {
		published: 0,
		overdue: 0,
		due_soon: 0,
		upcoming: 0,
		missing: 0,
		late: 0
	};
	for (const c of cells) {
		counts[c.state]++;
		if (c.daysLate) counts.late++;
	}
	return counts;
}

/** The states a compliance list filters on: a state, or "published late". */
export const COMPLIANCE_FILTERS = [
	'overdue',
	'due_soon',
	'missing',
	'published',
	'late',
	'upcoming'
] as const;
export type ComplianceFilter = {
	state?: (typeof COMPLIANCE_FILTERS)[number] | null;
	unitId?: number | null;
	type?: string | null;
};

/**
 * The cells the filter keeps (without a state, all but the upcoming ones), the viewer's own
 * units first, each group in the order of the types, units and periods.
 */
export function filterCells(
	cells: readonly ComplianceCell[],
	f: ComplianceFilter,
	ownUnits: readonly number[] = []
): ComplianceCell[] {
	const kept = cells.filter(
		(c) =>
			(f.state === 'late'
				? (c.daysLate ?? 0) > 0
				: f.state
					? c.state === f.state
					: c.state !== 'upcoming') &&
			(!f.unitId || c.unitId === f.unitId) &&
			(!f.type || c.typeCode === f.type)
	);
	const own = new Set(ownUnits);
	return [...kept.filter((c) => own.has(c.unitId)), ...kept.filter((c) => !own.has(c.unitId))];
}

/** The units the agencies belong to (a commune's People's Committee: its commune). */
export async function agencyUnits(db: Db, agencyIds: readonly number[]): Promise<number[]> {
	if (agencyIds.length === 0) return [];
	const rows = await db
		.selectFrom('agency')
		.select('unit_id')
		.where('id', 'in', [...agencyIds])
		.execute();
	return [...new Set(rows.map((r) => r.unit_id))];
}
