import { addDays, type IsoDate } from '$lib/deadlines/working-days';

/**
 * When a dossier counts as handled on time or late, and in which month: the one rule the monthly
 * 766 figures, the apology letters and the delay list share, so that they always agree.
 *
 * A dossier is late when it has a due date (ngày hẹn trả) and was completed after it, or is still
 * open on a day after it. Its outcome belongs to one month only (its "decided month"): a dossier
 * completed on time, the month it was completed; a late one, the month it became late (the day
 * after its due date), even if it is completed later. An open dossier not yet due, or one
 * without a due date and not completed, has no outcome yet. Pure; dates are Việt Nam days.
 */
export type DossierDates = { dueOn: IsoDate | null; completedOn: IsoDate | null };

export type Outcome =
	| { state: 'on_time'; month: IsoDate }
	| { state: 'late'; month: IsoDate; lateSince: IsoDate }
	| { state: 'pending' };

/** The first day of the month of `day`. */
export const monthOf = (day: IsoDate): IsoDate => `${day.slice(0, 7)}-01`;

export function outcome(d: DossierDates, today: IsoDate): Outcome {
	if (d.dueOn !== null) {
		const lateSince = addDays(d.dueOn, 1);
		const late = d.completedOn !== null ? d.completedOn > d.dueOn : today > d.dueOn;
		if (late) return { state: 'late', month: monthOf(lateSince), lateSince };
	}
	if (d.completedOn !== null) return { state: 'on_time', month: monthOf(d.completedOn) };
	return { state: 'pending' };
}

export const isLate = (d: DossierDates, today: IsoDate): boolean =>
	outcome(d, today).state === 'late';

const dayNumber = (day: IsoDate) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;

/**
 * How late a dossier (or an answer) is, in calendar days from its due date to the day it was
 * done, or to `today` while it is not; never below 0. Letters and the delay list say this number.
 */
export function daysLate(dueOn: IsoDate, doneOn: IsoDate | null, today: IsoDate): number {
	return Math.max(0, dayNumber(doneOn ?? today) - dayNumber(dueOn));
}
