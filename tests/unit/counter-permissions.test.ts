import { describe, expect, it } from 'vitest';
import type { Grant } from '$lib/auth/access';
import {
	counterAgencies,
	mayManageCounter,
	mayManageCounters
} from '$lib/server/counters/permissions';

const g = (role: Grant['role'], agencyId: number | null = null): Grant => ({
	role,
	agencyId,
	unitId: null
});

describe('who manages counters', () => {
	it('an agency’s officials and approvers, for their agency; admins, for every agency', () => {
		expect(counterAgencies([g('official', 3), g('approver', 4)])).toEqual([3, 4]);
		expect(counterAgencies([g('admin')])).toBe('all');
		expect(mayManageCounter([g('official', 3)], 3)).toBe(true);
		expect(mayManageCounter([g('official', 3)], 4)).toBe(false);
		expect(mayManageCounter([g('admin')], 4)).toBe(true);
	});

	it('nobody else: moderators, analysts, interviewers', () => {
		for (const role of ['moderator', 'analyst', 'interviewer', 'microdata'] as const) {
			expect(mayManageCounters([g(role)])).toBe(false);
			expect(mayManageCounter([g(role)], 3)).toBe(false);
		}
	});
});
