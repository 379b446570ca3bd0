import { describe, expect, it } from 'vitest';
import { outcome } from '$lib/dossiers/lateness';

describe('a dossier outcome and its month', () => {
	const today = '2026-12-10';
	it('completed on or before its due date: on time, in the month it was completed', () => {
		expect(outcome({ dueOn: '2026-11-30', completedOn: '2026-11-30' }, today)).toEqual({
			state: 'on_time',
			month: '2026-11-01'
		});
		expect(outcome({ dueOn: null, completedOn: '2026-12-02' }, today)).toEqual({
			state: 'on_time',
			month: '2026-12-01'
		});
	});
	it('late in the month after its due date, even when completed later', () => {
		expect(outcome({ dueOn: '2026-11-30', completedOn: '2026-12-05' }, today)).toEqual({
			state: 'late',
			month: '2026-12-01',
			lateSince: '2026-12-01'
		});
		expect(outcome({ dueOn: '2026-11-20', completedOn: null }, today)).toEqual({
			state: 'late',
			month: '2026-11-01',
			lateSince: '2026-11-21'
		});
	});
	it('open and not yet past due, or open without a due date: no outcome yet', () => {
		expect(outcome({ dueOn: '2026-12-10', completedOn: null }, today).state).toBe('pending');
		expect(outcome({ dueOn: null, completedOn: null }, today).state).toBe('pending');
	});
});
