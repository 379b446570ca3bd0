import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays } from '$lib/deadlines/working-days';
import { deadlineRule, loadCalendar } from '$lib/server/deadlines/calendar';
import { backends, migratedDb, type TestDb } from './harness';

describe.each(backends)('the working-day calendar on %s', (backend) => {
	let t: TestDb;
	beforeAll(async () => {
		t = await migratedDb(backend);
	});
	afterAll(async () => t?.close());

	it('knows the days off announced for 2026, read back as plain dates', async () => {
		const calendar = await loadCalendar(t.db);
		expect(calendar.isWorking('2026-02-16')).toBe(false);
		expect(calendar.isWorking('2026-02-23')).toBe(true);
		expect(calendar.isWorking('2026-04-27')).toBe(false);
		expect(addWorkingDays('2026-02-13', 5, calendar)).toBe('2026-02-27');
		expect(addWorkingDays('2026-04-29', 1, calendar)).toBe('2026-05-04');
	});

	it('holds the legal presets, each with its basis', async () => {
		expect((await deadlineRule(t.db, 'question'))?.working_days).toBe(5);
		expect((await deadlineRule(t.db, 'information_complex'))?.working_days).toBe(15);
		expect((await deadlineRule(t.db, 'information_simple'))?.basis_vi).toContain(
			'Luật Tiếp cận thông tin'
		);
		expect(await deadlineRule(t.db, 'nonsense')).toBeUndefined();
	});
});
