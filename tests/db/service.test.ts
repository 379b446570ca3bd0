import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '$lib/server/db';
import { knownMigrations } from '$lib/server/db/migrate';
import { readiness } from '$lib/server/http/probes';
import {
	accountKey,
	clientKey,
	keySecret,
	loadSharedSecret,
	useSharedSecret
} from '$lib/server/security/rate-limit';
import { backends, migratedDb, type TestDb } from './harness';

describe.each(backends)('server state on %s', (backend) => {
	let t: TestDb;
	beforeAll(async () => {
		t = await migratedDb(backend);
	});
	afterAll(async () => t?.close());

	it('is ready with every migration applied, and not with one missing', async () => {
		expect(await readiness(async () => t.db, knownMigrations)).toEqual({ ready: true });
		const last = (await knownMigrations()).at(-1)!;
		const removed = await t.db
			.deleteFrom('kysely_migration' as never)
			.where('name' as never, '=', last as never)
			.returningAll()
			.execute();
		try {
			expect(await readiness(async () => t.db, knownMigrations)).toEqual({
				ready: false,
				reason: `migrations pending: ${last}`
			});
		} finally {
			await t.db
				.insertInto('kysely_migration' as never)
				.values(removed as never)
				.execute();
		}
		expect(await readiness(async () => t.db, knownMigrations)).toEqual({ ready: true });
	});

	it('makes one rate-limit key for every process, kept across restarts; APP_SECRET wins', async () => {
		// processes starting together: every one of them reads the key the first one stored
		const keys = await Promise.all(Array.from({ length: 4 }, () => loadSharedSecret(t.db)));
		expect(new Set(keys).size).toBe(1);
		expect(Buffer.from(keys[0]!, 'base64url')).toHaveLength(32);
		expect(await loadSharedSecret(t.db)).toBe(keys[0]);

		useSharedSecret(keys[0]!);
		expect(keySecret(undefined)).toBe(keys[0]);
		const appSecret = 'an-operator-secret-of-32-characters!';
		expect(keySecret(appSecret)).toBe(appSecret);
		const day = new Date('2026-12-06T08:00:00Z');
		expect(clientKey('203.0.113.7', undefined, day)).not.toBe(
			clientKey('203.0.113.7', appSecret, day)
		);
		expect(accountKey('a@b.vn', undefined)).not.toBe(accountKey('a@b.vn', appSecret));
	});
});

describe('readiness without a database', () => {
	it('is not ready when PostgreSQL does not answer', async () => {
		// a port nothing listens on
		const { db } = openDb({
			databaseUrl: 'postgres://nobody@127.0.0.1:1/none',
			pgliteDir: 'memory://'
		});
		try {
			expect(await readiness(async () => db, knownMigrations)).toEqual({
				ready: false,
				reason: 'database: unreachable or not migrated'
			});
		} finally {
			await db.destroy();
		}
	});
});
