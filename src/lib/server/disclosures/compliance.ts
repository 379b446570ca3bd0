import {
	complianceState,
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
			.select(['d.id', 'd.unit_id', 'd.type_code', 'd.period'])
			.where('d.status', '=', 'published')
			.where((eb) =>
				eb.or([eb('a.unit_id', '=', eb.ref('u.id')), eb('a.unit_id', '=', eb.ref('u.parent_id'))])
			)
			.execute()
	]);
	const found = new Map(published.map((p) => [`${p.unit_id}|${p.type_code}|${p.period}`, p.id]));
	const cells: ComplianceCell[] = [];
	for (const t of types) {
		const schedule = { frequency: t.frequency, dueFrom: t.due_from, dueDays: t.due_days };
		const periods = t.frequency === 'once' ? [null] : watchedPeriods(schedule, now);
		for (const u of units.filter((x) => x.level === t.unit_level)) {
			for (const period of periods) {
				const id = found.get(`${u.id}|${t.code}|${period}`) ?? null;
				const due = period === null ? null : dueOn(schedule, period);
				cells.push({
					unitId: u.id,
					typeCode: t.code,
					period,
					due,
					state: complianceState(due, id !== null, now),
					disclosureId: id
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

export type ComplianceCount = Record<ComplianceState, number>;

export function countStates(cells: readonly ComplianceCell[]): ComplianceCount {
	const counts: ComplianceCount = {
		published: 0,
		overdue: 0,
		due_soon: 0,
		upcoming: 0,
		missing: 0
	};
	for (const c of cells) counts[c.state]++;
	return counts;
}
