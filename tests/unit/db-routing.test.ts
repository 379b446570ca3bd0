import { describe, expect, it, vi } from 'vitest';
import { log } from '$lib/server/log';
import { mustReadPrimary } from '$lib/server/db/read';
import { ReplicaCircuit } from '$lib/server/db/replica';
import { connectionOf } from '$lib/server/db/url';

describe('a URL that leads to pgbouncer', () => {
	it('turns named prepared statements off and hides pgbouncer= from pg', () => {
		expect(connectionOf('postgres://u@db:5432/civic')).toEqual({
			connectionString: 'postgres://u@db:5432/civic',
			prepared: true
		});
		expect(connectionOf('postgres://u@db:5432/civic?pgbouncer=true&sslmode=disable')).toEqual({
			connectionString: 'postgres://u@db:5432/civic?sslmode=disable',
			prepared: false
		});
		expect(connectionOf('postgres://u:p%40ss@db:6432/civic').prepared).toBe(false);
		expect(connectionOf('postgres://u@db:5432/civic?pgbouncer=false')).toEqual({
			connectionString: 'postgres://u@db:5432/civic',
			prepared: true
		});
	});

	it('lets DATABASE_PREPARED decide either way', () => {
		expect(connectionOf('postgres://u@db:6432/civic', true).prepared).toBe(true);
		expect(connectionOf('postgres://u@db:5432/civic', false).prepared).toBe(false);
	});
});

describe('reading after writing', () => {
	const now = 1_000_000;
	it('sends a reader who just changed something to the primary until the replica has caught up', () => {
		expect(mustReadPrimary(undefined, now, 0)).toBe(false);
		expect(mustReadPrimary(now - 1000, now, 0)).toBe(true);
		expect(mustReadPrimary(now - 60_000, now, 0)).toBe(false);
		// a replica 90 s behind: a change made a minute ago is not there yet
		expect(mustReadPrimary(now - 60_000, now, 90)).toBe(true);
		expect(mustReadPrimary(now - 100_000, now, 90)).toBe(false);
		expect(mustReadPrimary(Number('garbage'), now, 0)).toBe(false);
	});
});

describe('the replica circuit', () => {
	it('stops trying a replica that failed, tries again later, and says so once per change', () => {
		let t = 0;
		const warn = vi.spyOn(log, 'warn').mockImplementation(() => undefined);
		const info = vi.spyOn(log, 'info').mockImplementation(() => undefined);
		const circuit = new ReplicaCircuit(10_000, () => t);
		expect(circuit.usable).toBe(true);
		circuit.failed(new Error('connect ECONNREFUSED'));
		expect(circuit.down).toBe(true);
		expect(circuit.usable).toBe(false);
		t = 9_999;
		expect(circuit.usable).toBe(false);
		t = 10_000;
		expect(circuit.usable).toBe(true); // one try
		circuit.failed(new Error('still refused'));
		expect(circuit.usable).toBe(false);
		t = 20_000;
		circuit.succeeded();
		circuit.succeeded();
		expect(circuit.down).toBe(false);
		expect(circuit.usable).toBe(true);
		expect(warn).toHaveBeenCalledTimes(1);
		expect(info).toHaveBeenCalledTimes(1);
		warn.mockRestore();
		info.mockRestore();
	});
});
