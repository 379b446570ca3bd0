import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, CONFIG_VARIABLES, parseConfig } from '$lib/server/config';

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

	it('leaves prepared statements to the URL unless DATABASE_PREPARED says, and reads a replica', () => {
		const primary = 'postgres://u@db:5432/civic';
		expect(parseConfig({ DATABASE_URL: primary })).toMatchObject({
			databasePrepared: undefined,
			databaseReadUrl: undefined,
			databaseReadPoolMax: 5
		});
		expect(
			parseConfig({ DATABASE_URL: primary, DATABASE_PREPARED: 'false' }).databasePrepared
		).toBe(false);
		expect(
			parseConfig({
				DATABASE_URL: primary,
				DATABASE_READ_URL: 'postgres://u@replica:5432/civic',
				DATABASE_READ_POOL_MAX: '3'
			})
		).toMatchObject({ databaseReadUrl: 'postgres://u@replica:5432/civic', databaseReadPoolMax: 3 });
		expect(() => parseConfig({ DATABASE_URL: primary, DATABASE_PREPARED: 'maybe' })).toThrow(
			/DATABASE_PREPARED/
		);
	});

	it('refuses a replica without a primary: the embedded database has none', () => {
		expect(() => parseConfig({ DATABASE_READ_URL: 'postgres://u@replica/civic' })).toThrow(
			/DATABASE_READ_URL: needs DATABASE_URL/
		);
		expect(() =>
			parseConfig({ DATABASE_URL: 'postgres://u@db/civic', DATABASE_READ_URL: 'mysql://r' })
		).toThrow(/DATABASE_READ_URL/);
	});

	it("listens for other servers' changes on DATABASE_URL unless DATABASE_LISTEN_URL says", () => {
		expect(parseConfig({}).databaseListenUrl).toBeUndefined();
		const direct = 'postgres://u@db:5432/civic';
		expect(parseConfig({ DATABASE_URL: direct }).databaseListenUrl).toBe(direct);
		expect(
			parseConfig({ DATABASE_URL: 'postgres://u@pooler:6432/civic', DATABASE_LISTEN_URL: direct })
				.databaseListenUrl
		).toBe(direct);
		expect(() => parseConfig({ DATABASE_LISTEN_URL: direct })).toThrow(
			/DATABASE_LISTEN_URL: has no effect without DATABASE_URL/
		);
		expect(() =>
			parseConfig({ DATABASE_URL: direct, DATABASE_LISTEN_URL: 'db:5432/civic' })
		).toThrow(/DATABASE_LISTEN_URL: must be a postgres/);
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

	it('keeps files in the database with PostgreSQL and on disk when embedded, unless FILE_STORE says', () => {
		expect(parseConfig({}).fileStore).toBe('filesystem');
		expect(parseConfig({ DATABASE_URL: 'postgres://u@db/civic' }).fileStore).toBe('database');
		expect(
			parseConfig({ DATABASE_URL: 'postgres://u@db/civic', FILE_STORE: 'filesystem' }).fileStore
		).toBe('filesystem');
		expect(parseConfig({ FILE_STORE: 'database' }).fileStore).toBe('database');
		expect(() => parseConfig({ FILE_STORE: 's3' })).toThrow(
			/FILE_STORE: must be database \(files in PostgreSQL/
		);
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

	it('looks for the staff reminders every minute unless NOTIFY_SCAN_SECONDS says', () => {
		expect(parseConfig({}).notifyScanSeconds).toBe(60);
		expect(parseConfig({ NOTIFY_SCAN_SECONDS: '2' }).notifyScanSeconds).toBe(2);
		expect(() => parseConfig({ NOTIFY_SCAN_SECONDS: '0' })).toThrow(/NOTIFY_SCAN_SECONDS/);
	});

	it('refuses a pool of one connection: the analytics aggregator holds its turn on one and works on another', () => {
		expect(parseConfig({}).databasePoolMax).toBe(10);
		expect(parseConfig({ DATABASE_POOL_MAX: '2' }).databasePoolMax).toBe(2);
		expect(() => parseConfig({ DATABASE_POOL_MAX: '1' })).toThrow(
			/DATABASE_POOL_MAX: must be at least 2/
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

describe('settings that would quietly weaken the server', () => {
	const refused = (env: Record<string, string>, server = false) => {
		try {
			parseConfig(env, { server });
		} catch (e) {
			expect(e).toBeInstanceOf(ConfigError);
			return (e as ConfigError).message;
		}
		return null;
	};

	it('the built server needs ORIGIN, or it would trust the Host header', () => {
		expect(refused({}, true)).toMatch(/ORIGIN: must be set/);
		expect(refused({ ORIGIN: 'https://phananh.example.gov.vn' }, true)).toBeNull();
		// vite dev, the tests and the db:* commands serve no one
		expect(refused({})).toBeNull();
	});

	it('a proxy header for the origin needs ORIGIN too', () => {
		for (const name of ['PROTOCOL_HEADER', 'HOST_HEADER', 'PORT_HEADER'])
			expect(refused({ [name]: 'x-forwarded-proto' }), name).toMatch(
				new RegExp(`ORIGIN: must be set \\(${name} is\\)`)
			);
		expect(
			refused({ ORIGIN: 'https://a.example.vn', PROTOCOL_HEADER: 'x-forwarded-proto' }, true)
		).toBeNull();
	});

	it('X-Forwarded-For needs its depth, and a depth needs X-Forwarded-For', () => {
		expect(refused({ ADDRESS_HEADER: 'X-Forwarded-For' })).toMatch(/XFF_DEPTH: must be set/);
		expect(refused({ ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1' })).toBeNull();
		expect(refused({ ADDRESS_HEADER: 'X-Real-IP' })).toBeNull();
		expect(refused({ XFF_DEPTH: '1' })).toMatch(/XFF_DEPTH: has no effect/);
		expect(refused({ ADDRESS_HEADER: 'X-Real-IP', XFF_DEPTH: '2' })).toMatch(/XFF_DEPTH/);
	});

	it('XFF_DEPTH is a positive integer; header names are header names', () => {
		for (const depth of ['0', '-1', '1.5', 'one'])
			expect(refused({ ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: depth }), depth).toMatch(
				/XFF_DEPTH: .*positive integer/
			);
		expect(refused({ ADDRESS_HEADER: 'x forwarded' })).toMatch(/ADDRESS_HEADER/);
	});

	it('reads LOG_LEVEL, info by default', () => {
		expect(parseConfig({}).logLevel).toBe('info');
		expect(parseConfig({ LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
		expect(refused({ LOG_LEVEL: 'verbose' })).toMatch(/LOG_LEVEL/);
	});
});

describe('.env.example', () => {
	const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
	const listed = new Set(
		[...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1])
	);

	it('lists every variable the configuration reads, each with a comment above it', () => {
		expect(CONFIG_VARIABLES).toEqual(expect.arrayContaining(['DATABASE_URL', 'XFF_DEPTH']));
		const missing = CONFIG_VARIABLES.filter((name) => !listed.has(name));
		expect(missing).toEqual([]);
		const lines = example.split('\n');
		for (const name of CONFIG_VARIABLES) {
			const at = lines.findIndex((l) => new RegExp(`^#?\\s*${name}=`).test(l));
			expect(lines[at - 1], name).toMatch(/^# \S/);
		}
	});

	it('holds values the configuration accepts as they stand', () => {
		const active = Object.fromEntries(
			[...example.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1], m[2]])
		);
		expect(() => parseConfig(active, { server: true })).not.toThrow();
	});
});
