import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '$lib/server/config';

describe('configuration', () => {
	it('needs nothing to start: embedded database in .data, and no demo accounts', () => {
		expect(parseConfig({})).toMatchObject({
			databaseUrl: undefined,
			pgliteDir: '.data/pglite',
			seedDemo: false,
			sessionIdleDays: 7,
			sessionMaxDays: 30
		});
	});

	it('switches to PostgreSQL with DATABASE_URL and then seeds no demo unless asked', () => {
		const c = parseConfig({ DATABASE_URL: 'postgres://u@db:5432/civic' });
		expect(c).toMatchObject({ databaseUrl: 'postgres://u@db:5432/civic', seedDemo: false });
		expect(parseConfig({ DATABASE_URL: 'postgres://u@db/civic', SEED_DEMO: 'true' }).seedDemo).toBe(
			true
		);
	});

	it('seeds the demo only when SEED_DEMO asks, whatever NODE_ENV says', () => {
		for (const NODE_ENV of [undefined, 'production', 'development', 'test'])
			expect(parseConfig({ NODE_ENV }).seedDemo).toBe(false);
		expect(parseConfig({ SEED_DEMO: 'true' }).seedDemo).toBe(true);
		expect(parseConfig({ SEED_DEMO: 'false' }).seedDemo).toBe(false);
	});

	it('puts the embedded database under DATA_DIR unless PGLITE_DIR says otherwise', () => {
		expect(parseConfig({ DATA_DIR: '/var/lib/civic/' }).pgliteDir).toBe('/var/lib/civic/pglite');
		expect(parseConfig({ DATA_DIR: '/x', PGLITE_DIR: 'memory://' }).pgliteDir).toBe('memory://');
	});

	it('names every bad variable in one message', () => {
		let error: unknown;
		try {
			parseConfig({
				PORT: 'eighty',
				DATABASE_URL: 'mysql://x',
				ORIGIN: 'localhost:3000',
				SEED_DEMO: 'yes'
			});
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(ConfigError);
		const problems = (error as ConfigError).problems.join('\n');
		for (const name of ['PORT', 'DATABASE_URL', 'ORIGIN', 'SEED_DEMO'])
			expect(problems).toContain(name);
	});

	it('refuses an idle timeout longer than the absolute session cap', () => {
		expect(() => parseConfig({ SESSION_IDLE_DAYS: '40', SESSION_MAX_DAYS: '30' })).toThrow(
			/SESSION_IDLE_DAYS/
		);
	});

	it('limits an interviewer to 10 responses an hour unless INTERVIEWER_SUBMITS_PER_HOUR says', () => {
		expect(parseConfig({}).interviewerSubmitsPerHour).toBe(10);
		expect(parseConfig({ INTERVIEWER_SUBMITS_PER_HOUR: '4' }).interviewerSubmitsPerHour).toBe(4);
		expect(() => parseConfig({ INTERVIEWER_SUBMITS_PER_HOUR: '0' })).toThrow(
			/INTERVIEWER_SUBMITS_PER_HOUR/
		);
	});

	it('treats an empty variable as unset', () => {
		expect(parseConfig({ DATABASE_URL: '', PORT: '' }).databaseUrl).toBeUndefined();
	});
});

describe('first administrator', () => {
	it('is read from both variables together', () => {
		expect(
			parseConfig({ BOOTSTRAP_ADMIN_EMAIL: 'a@b.vn', BOOTSTRAP_ADMIN_PASSWORD: 'long enough pw' })
				.bootstrapAdmin
		).toEqual({
			email: 'a@b.vn',
			password: 'long enough pw'
		});
		expect(() => parseConfig({ BOOTSTRAP_ADMIN_EMAIL: 'a@b.vn' })).toThrow(/set both or neither/);
		expect(() =>
			parseConfig({ BOOTSTRAP_ADMIN_EMAIL: 'a@b.vn', BOOTSTRAP_ADMIN_PASSWORD: 'short' })
		).toThrow(/BOOTSTRAP_ADMIN_PASSWORD/);
	});
});
