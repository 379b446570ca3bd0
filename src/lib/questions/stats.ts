import {
	vietnamDate,
	workingDaysBetween,
	type Calendar,
	type IsoDate
} from '$lib/deadlines/working-days';

/** One agency's turn at a question (from question_assignment, queued ones left out). */
export type Turn = {
	agencyId: number;
	questionId: number;
	state: 'active' | 'answered' | 'transferred';
	assignedAt: Date;
	answeredAt: Date | null;
	dueOn: IsoDate | null;
	onTime: boolean | null;
	rating: 'satisfied' | 'unsatisfied' | null;
};

export type AgencyStats = {
	agencyId: number;
	received: number;
	answered: number;
	answeredOnTime: number;
	/** open and past their due date */
	overdue: number;
	/** median working days from assignment to publication; null with nothing answered */
	medianDays: number | null;
	rated: number;
	satisfied: number;
	/** Decision 766's cases: turns whose outcome is known (answered, or overdue) */
	judged: number;
	/** of them, handled on time and not rated unsatisfied (the satisfaction ratio's numerator) */
	judgedSatisfied: number;
	/** Decision 766: handled on time / cases whose outcome is known (answered, or overdue) */
	onTimeRatio: number | null;
	/** Decision 766: (those cases − rated unsatisfied − handled late) / those cases */
	satisfactionRatio: number | null;
};

export function median(values: readonly number[]): number | null {
	if (values.length === 0) return null;
	const s = [...values].sort((a, b) => a - b);
	const mid = Math.floor(s.length / 2);
	return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Per-agency figures, computed the way Decision 766/QĐ-TTg computes its feedback ratios. A
 * transferred turn counts as received but is not judged (the question went on to another desk);
 * an open turn is judged only once it is overdue, so fresh questions do not lower the ratios.
 */
export function agencyStats(turns: readonly Turn[], now: Date, calendar: Calendar): AgencyStats[] {
	const today = vietnamDate(now);
	const byAgency = new Map<number, Turn[]>();
	for (const t of turns) byAgency.set(t.agencyId, [...(byAgency.get(t.agencyId) ?? []), t]);
	return [...byAgency].map(([agencyId, list]) => {
		const answered = list.filter((t) => t.state === 'answered');
		const overdue = list.filter((t) => t.state === 'active' && t.dueOn !== null && today > t.dueOn);
		const onTime = answered.filter((t) => t.onTime === true).length;
		const judged = answered.length + overdue.length;
		const late = answered.length - onTime + overdue.length;
		const ratedQuestions = new Map<number, Turn['rating']>();
		for (const t of answered) if (t.rating) ratedQuestions.set(t.questionId, t.rating);
		const unsatisfiedOnTime = answered.filter(
			(t) => t.onTime === true && t.rating === 'unsatisfied'
		).length;
		const satisfied = [...ratedQuestions.values()].filter((r) => r === 'satisfied').length;
		const judgedSatisfied = judged - late - unsatisfiedOnTime;
		return {
			agencyId,
			received: new Set(list.map((t) => t.questionId)).size,
			answered: new Set(answered.map((t) => t.questionId)).size,
			answeredOnTime: onTime,
			overdue: overdue.length,
			medianDays: median(
				answered.map((t) =>
					workingDaysBetween(vietnamDate(t.assignedAt), vietnamDate(t.answeredAt!), calendar)
				)
			),
			rated: ratedQuestions.size,
			satisfied,
			judged,
			judgedSatisfied,
			onTimeRatio: judged ? onTime / judged : null,
			satisfactionRatio: judged ? judgedSatisfied / judged : null
		};
	});
}
