import { describe, expect, it } from 'vitest';
import {
	addWorkingDays,
	calendarOf,
	dueDate,
	isIsoDate,
	isOverdue,
	vietnamDate,
	workingDaysBetween
} from '$lib/deadlines/working-days';

// The days off of 2026 as announced (Tết 16–20 February; Hùng Kings' day on Sunday 26 April,
// so Monday 27 April off in lieu), one Saturday worked in exchange, and New Year 2027.
const calendar = calendarOf([
	{ day: '2026-01-01', working: false },
	...['16', '17', '18', '19', '20'].map((d) => ({ day: `2026-02-${d}`, working: false })),
	{ day: '2026-04-27', working: false },
	{ day: '2026-04-30', working: false },
	{ day: '2026-05-01', working: false },
	{ day: '2026-10-10', working: true },
	{ day: '2027-01-01', working: false }
]);

describe('working days', () => {
	it('skip weekends: Friday plus one is Monday, plus five the next Friday', () => {
		expect(addWorkingDays('2026-11-20', 1, calendar)).toBe('2026-11-23');
		expect(addWorkingDays('2026-11-20', 5, calendar)).toBe('2026-11-27');
		// a case that arrives on a Saturday starts counting on Monday
		expect(addWorkingDays('2026-11-21', 1, calendar)).toBe('2026-11-23');
	});

	it('skip the Tết week: a question sent the Friday before Tết is due a week after it', () => {
		expect(addWorkingDays('2026-02-13', 1, calendar)).toBe('2026-02-23');
		expect(addWorkingDays('2026-02-13', 5, calendar)).toBe('2026-02-27');
		expect(workingDaysBetween('2026-02-13', '2026-02-22', calendar)).toBe(0);
	});

	it('skip a compensatory day off, and count a Saturday worked in exchange', () => {
		// Monday 27 April off in lieu, then 30 April and 1 May, then the weekend
		expect(addWorkingDays('2026-04-24', 1, calendar)).toBe('2026-04-28');
		expect(addWorkingDays('2026-04-24', 3, calendar)).toBe('2026-05-04');
		// Saturday 10 October is worked
		expect(addWorkingDays('2026-10-09', 1, calendar)).toBe('2026-10-10');
		expect(addWorkingDays('2026-10-09', 2, calendar)).toBe('2026-10-12');
	});

	it('cross the year end over New Year’s Day', () => {
		expect(addWorkingDays('2025-12-31', 1, calendar)).toBe('2026-01-02');
		expect(addWorkingDays('2026-12-31', 2, calendar)).toBe('2027-01-05');
		expect(workingDaysBetween('2026-12-30', '2027-01-04', calendar)).toBe(2);
	});

	it('pause the clock while waiting for the citizen and resume it with the days left', () => {
		// 5 days from Monday 2 March; paused on Wednesday 4 (2 used), resumed Monday 9: 3 left
		expect(dueDate(5, '2026-03-02', [], calendar)).toBe('2026-03-09');
		expect(dueDate(5, '2026-03-02', [{ from: '2026-03-04', to: null }], calendar)).toBeNull();
		expect(dueDate(5, '2026-03-02', [{ from: '2026-03-04', to: '2026-03-09' }], calendar)).toBe(
			'2026-03-12'
		);
		// two pauses, the second across Tết
		expect(
			dueDate(
				5,
				'2026-02-09',
				[
					{ from: '2026-02-10', to: '2026-02-11' },
					{ from: '2026-02-12', to: '2026-02-24' }
				],
				calendar
			)
		).toBe('2026-02-27');
		// a deadline already passed when the clock was paused stays where it was
		expect(dueDate(2, '2026-03-02', [{ from: '2026-03-06', to: '2026-03-20' }], calendar)).toBe(
			'2026-03-04'
		);
	});

	it('use the date in Việt Nam, and are late only from the day after the due date', () => {
		expect(vietnamDate(new Date('2026-03-09T16:59:59Z'))).toBe('2026-03-09');
		expect(vietnamDate(new Date('2026-03-09T17:00:00Z'))).toBe('2026-03-10');
		expect(isOverdue('2026-03-09', new Date('2026-03-09T16:59:59Z'))).toBe(false);
		expect(isOverdue('2026-03-09', new Date('2026-03-09T17:00:00Z'))).toBe(true);
	});

	it('refuse nonsense', () => {
		expect(() => addWorkingDays('2026-03-02', 0, calendar)).toThrow(RangeError);
		expect(isIsoDate('2026-02-29')).toBe(false);
		expect(isIsoDate('2028-02-29')).toBe(true);
		expect(isIsoDate('2026-2-3')).toBe(false);
	});
});
