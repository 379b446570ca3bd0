import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '$lib/server/forms/refusal';
import { deadLetters, deliveryCounts, retryDeadLetter } from '$lib/server/notify/dead-letters';
import { KEEP_DAYS, pruneNotifications } from '$lib/server/notify/prune';
import { backends, migratedDb, type TestDb } from './harness';
import { staffMember } from './places';

describe.each(backends)('the administrators’ view of the outbox on %s', (backend) => {
	let t: TestDb;
	let admin: string;

	/** A notification for the admin with one delivery in `status`, written `daysAgo` days ago. */
	async function delivery(status: 'pending' | 'sent' | 'dropped' | 'dead', daysAgo = 0) {
		const n = await t.db
			.insertInto('notification')
			.values({
				kind: 'test.kind',
				user_id: admin,
				created_at: new Date(Date.now() - daysAgo * 86_400_000)
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const dead = status === 'dead';
		const d = await t.db
			.insertInto('notification_delivery')
			.values({
				notification_id: n.id,
				channel: 'email',
				status,
				attempts: dead ? 8 : 1,
				last_error: dead ? 'connect ECONNREFUSED' : null,
				done_at: status === 'pending' ? null : new Date()
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		return String(d.id);
	}

	beforeAll(async () => {
		t = await migratedDb(backend);
		admin = (await staffMember(t.db, 'qtv@x.vn', [{ role: 'admin', agencyId: null }])).id;
	});
	afterAll(async () => t?.close());

	it('counts the last 30 days by channel and state, lists dead letters a page at a time', async () => {
		await delivery('sent');
		await delivery('sent');
		await delivery('dropped');
		await delivery('sent', 45);
		const dead = [];
		for (let i = 0; i < 3; i++) dead.push(await delivery('dead'));
		expect((await deliveryCounts(t.db)).sort((a, b) => a.status.localeCompare(b.status))).toEqual([
			{ channel: 'email', status: 'dead', n: 3 },
			{ channel: 'email', status: 'dropped', n: 1 },
			{ channel: 'email', status: 'sent', n: 2 }
		]);
		const first = await deadLetters(t.db, 1, 2);
		expect(first.total).toBe(3);
		expect(first.rows).toHaveLength(2);
		expect(first.rows[0]).toMatchObject({
			kind: 'test.kind',
			channel: 'email',
			attempts: 8,
			lastError: 'connect ECONNREFUSED'
		});
		const second = await deadLetters(t.db, 2, 2);
		expect([...first.rows, ...second.rows].map((r) => r.id).sort()).toEqual([...dead].sort());
	});

	it('a retry puts a dead letter back in the queue and is audited; twice is refused', async () => {
		const id = await delivery('dead');
		await retryDeadLetter(t.db, admin, id);
		const row = await t.db
			.selectFrom('notification_delivery')
			.select(['status', 'attempts', 'last_error'])
			.where('id', '=', id)
			.executeTakeFirstOrThrow();
		expect(row).toEqual({ status: 'pending', attempts: 0, last_error: null });
		const logged = await t.db
			.selectFrom('audit_log')
			.select(['actor_user_id', 'entity_type', 'entity_id'])
			.where('action', '=', 'notification.retry')
			.execute();
		expect(logged).toEqual([
			{ actor_user_id: admin, entity_type: 'notification_delivery', entity_id: id }
		]);
		await expect(retryDeadLetter(t.db, admin, id)).rejects.toMatchObject({
			code: 'not_dead',
			status: 409
		});
		await expect(retryDeadLetter(t.db, admin, '999999')).rejects.toBeInstanceOf(DomainError);
		// a refused retry writes no audit entry
		expect(
			await t.db
				.selectFrom('audit_log')
				.select('id')
				.where('action', '=', 'notification.retry')
				.execute()
		).toHaveLength(1);
	});

	it('forgets, after KEEP_DAYS, the notifications no longer being tried', async () => {
		await t.db.deleteFrom('notification').execute();
		const old = KEEP_DAYS + 1;
		const kept = [await delivery('pending', old), await delivery('sent', KEEP_DAYS - 1)];
		await delivery('sent', old);
		await delivery('dropped', old);
		await delivery('dead', old);
		expect(await pruneNotifications(t.db)).toBe(3);
		const left = await t.db.selectFrom('notification_delivery').select('id').execute();
		expect(left.map((d) => String(d.id)).sort()).toEqual(kept.sort());
	});
});
