import { describe, expect, it } from 'vitest';
import { calendarOf } from '$lib/deadlines/working-days';
import {
	currentPeriod,
	endedPeriods,
	periodEnd,
	reportDue,
	reportingPeriods
} from '$lib/plans/periods';

const quarterly = { report_frequency: 'quarterly', year_from: 2026, year_to: 2027 } as const;
const halfYearly = { report_frequency: 'half_yearly', year_from: 2026, year_to: 2026 } as const;
const yearly = { report_frequency: 'yearly', year_from: 2025, year_to: 2027 } as const;
// 6 December 2026, 10:00 in Hà Nội
const now = new Date('2026-12-06T03:00:00Z');

describe('plan reporting periods', () => {
	it('ends each period on its last day', () => {
		expect(periodEnd('2026-Q1')).toBe('2026-03-31');
		expect(periodEnd('2026-Q4')).toBe('2026-12-31');
		expect(periodEnd('2026-H1')).toBe('2026-06-30');
		expect(periodEnd('2026')).toBe('2026-12-31');
		expect(() => periodEnd('2026-H3')).toThrow(RangeError);
		expect(() => periodEnd('2026-Q5')).toThrow(RangeError);
	});

	it('starts the duties with the period of the adoption, not the plan’s first', () => {
		expect(reportingPeriods(quarterly, '2026-08-14', now)).toEqual([
			'2026-Q3',
			'2026-Q4',
			'2027-Q1',
			'2027-Q2',
			'2027-Q3',
			'2027-Q4'
		]);
		// adopted on the last day of a quarter: that quarter is still owed
		expect(reportingPeriods(quarterly, '2026-09-30', now)[0]).toBe('2026-Q3');
		expect(reportingPeriods(quarterly, '2026-10-01', now)[0]).toBe('2026-Q4');
		expect(reportingPeriods(halfYearly, '2026-07-01', now)).toEqual(['2026-H2']);
		// adopted before the plan's years: every period
		expect(reportingPeriods(yearly, '2024-05-23', now)).toEqual(['2025', '2026', '2027']);
		// a draft is not adopted yet: at the earliest today
		expect(reportingPeriods(quarterly, null, now)[0]).toBe('2026-Q4');
	});

	it('owes nothing for periods before the adoption', () => {
		// adopted in August: Q1 and Q2 are not owed; on 6 December only Q3 has ended
		expect(endedPeriods(quarterly, '2026-08-14', now)).toEqual(['2026-Q3']);
		// adopted at the start of the year: every ended quarter, newest first
		expect(endedPeriods(quarterly, '2026-01-01', now)).toEqual(['2026-Q3', '2026-Q2', '2026-Q1']);
		// adopted today, or still a draft: nothing yet
		expect(endedPeriods(quarterly, '2026-12-06', now)).toEqual([]);
		expect(endedPeriods(quarterly, null, now)).toEqual([]);
		expect(endedPeriods(yearly, '2024-05-23', now)).toEqual(['2025']);
	});

	it('makes the current period the default, within the adoption and the plan', () => {
		expect(currentPeriod(quarterly, '2026-08-14', now)).toBe('2026-Q4');
		expect(currentPeriod(halfYearly, '2026-01-10', now)).toBe('2026-H2');
		// a plan whose years have not begun: its first period; one that is over: its last
		expect(
			currentPeriod({ report_frequency: 'quarterly', year_from: 2028, year_to: 2029 }, null, now)
		).toBe('2028-Q1');
		expect(
			currentPeriod({ report_frequency: 'quarterly', year_from: 2024, year_to: 2025 }, null, now)
		).toBe('2025-Q4');
	});

	it('dates a report from the end of its period in working days', () => {
		const calendar = calendarOf([]);
		// Q3 ends on Wednesday 30 September; 10 working days later is Wednesday 14 October
		expect(reportDue('2026-Q3', 10, calendar)).toBe('2026-10-14');
	});
});
