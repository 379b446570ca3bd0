import { addDays, type IsoDate } from '$lib/deadlines/working-days';
import { daysLate, monthOf } from '$lib/dossiers/lateness';

/**
 * The monthly delay list (danh sách tổ chức, cá nhân gây chậm trễ): the dossiers of one agency
 * that became late in one month (their late month, by the shared lateness rule), grouped by the
 * handling unit and, within it, by the handling official, each with its facts and days late.
 * Never the dossier's code. Pure.
 *
 * Days late are calendar days from the due date (ngày hẹn trả) to the day it was completed, or,
 * for a dossier still open, to the day the list is prepared. A dossier without a handler is
 * listed under its unit as "not identified"; one without a unit under a unit "not identified".
 */
export type LateDossier = {
	unit: string | null;
	handler: string | null;
	procedure: string;
	field: string;
	receivedOn: IsoDate;
	dueOn: IsoDate;
	completedOn: IsoDate | null;
};

export type ListedDossier = Omit<LateDossier, 'unit' | 'handler'> & { daysLate: number };
export type OfficialGroup = { name: string | null; count: number; dossiers: ListedDossier[] };
export type UnitGroup = { name: string | null; count: number; officials: OfficialGroup[] };
export type DelayList = { month: IsoDate; total: number; units: UnitGroup[] };

/** Most late dossiers first, then by name (the not-identified group last among equals). */
function byCountThenName<T extends { name: string | null; count: number }>(a: T, b: T): number {
	if (a.count !== b.count) return b.count - a.count;
	if (a.name === null || b.name === null) return a.name === null ? 1 : -1;
	return a.name.localeCompare(b.name, 'vi');
}

function groupBy<T>(items: readonly T[], key: (item: T) => string | null): Map<string | null, T[]> {
	const groups = new Map<string | null, T[]>();
	for (const item of items) {
		const k = key(item);
		groups.set(k, [...(groups.get(k) ?? []), item]);
	}
	return groups;
}

export function delayList(
	month: IsoDate,
	dossiers: readonly LateDossier[],
	today: IsoDate
): DelayList {
	const units = [...groupBy(dossiers, (d) => d.unit)].map(([unit, inUnit]) => {
		const officials = [...groupBy(inUnit, (d) => d.handler)].map(([name, own]) => ({
			name,
			count: own.length,
			dossiers: own
				.map(({ procedure, field, receivedOn, dueOn, completedOn }) => ({
					procedure,
					field,
					receivedOn,
					dueOn,
					completedOn,
					daysLate: daysLate(dueOn, completedOn, today)
				}))
				.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || b.daysLate - a.daysLate)
		}));
		return { name: unit, count: inUnit.length, officials: officials.sort(byCountThenName) };
	});
	return { month, total: dossiers.length, units: units.sort(byCountThenName) };
}

/** "2026-11" or "2026-11-01" as the first day of the month, or null. */
export function readMonth(text: string): IsoDate | null {
	const match = /^(\d{4})-(0[1-9]|1[0-2])(?:-01)?$/.exec(text.trim());
	return match ? `${match[1]}-${match[2]}-01` : null;
}

/** The closed months a list may be prepared for, newest first: the `count` before today's. */
export function closedMonths(today: IsoDate, count = 24): IsoDate[] {
	const months: IsoDate[] = [];
	let month = monthOf(today);
	for (let i = 0; i < count; i++) {
		month = monthOf(addDays(month, -1));
		months.push(month);
	}
	return months;
}

/** Whether the month is over (a list is prepared only for a closed month: its figures are final). */
export const isClosedMonth = (month: IsoDate, today: IsoDate): boolean => month < monthOf(today);

/** A month as the administration writes it: "11/2026". */
export const monthLabel = (month: IsoDate): string => `${month.slice(5, 7)}/${month.slice(0, 4)}`;
