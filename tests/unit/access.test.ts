import { describe, expect, it } from 'vitest';
import { agenciesFor, analystUnits, areasFor, type Grant } from '$lib/auth/access';
import { staffAreaOf } from '$lib/server/auth/guards';

const official: Grant = { role: 'official', agencyId: 4, unitId: null };
const moderator: Grant = { role: 'moderator', agencyId: null, unitId: null };
const analyst: Grant = { role: 'analyst', agencyId: null, unitId: 12 };
const admin: Grant = { role: 'admin', agencyId: null, unitId: null };

describe('staff areas', () => {
	it('opens to each role only its own areas', () => {
		expect(areasFor([official])).toEqual(['officials']);
		expect(areasFor([moderator])).toEqual(['officials']);
		expect(areasFor([analyst])).toEqual(['fieldwork', 'analytics']);
		expect(areasFor([admin])).toEqual(['fieldwork', 'admin']);
		expect(areasFor([])).toEqual([]);
	});

	it('adds up the areas of a person with several roles', () => {
		expect(areasFor([analyst, admin, official])).toEqual([
			'officials',
			'fieldwork',
			'analytics',
			'admin'
		]);
	});

	it('reads the scope of officials and analysts', () => {
		expect(agenciesFor([official, { ...official, agencyId: 9 }, admin], 'official')).toEqual([
			4, 9
		]);
		expect(analystUnits([analyst, { ...analyst, unitId: 30 }])).toEqual([12, 30]);
		expect(analystUnits([analyst, { ...analyst, unitId: null }])).toBe('all');
		expect(analystUnits([official])).toEqual([]);
	});

	it('finds the area of a staff route from its id, and none for public routes', () => {
		expect(staffAreaOf('/(staff)/admin')).toBe('admin');
		expect(staffAreaOf('/(staff)/admin/users/[id]')).toBe('admin');
		expect(staffAreaOf('/(staff)/analytics')).toBe('analytics');
		expect(staffAreaOf('/(staff)/fieldwork/waves/[id]')).toBe('fieldwork');
		expect(staffAreaOf('/(staff)/staff')).toBe('any');
		expect(staffAreaOf('/sign-in')).toBeNull();
		expect(staffAreaOf('/admin')).toBeNull();
		expect(staffAreaOf(null)).toBeNull();
	});
});
