import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { inTransaction, openDb, type Db } from '$lib/server/db';
import { log } from '$lib/server/log';
import type { Message } from '$lib/server/notify/message';
import { notify } from '$lib/server/notify/outbox';
import { defineKind } from '$lib/server/notify/render';
import { useTransport, type Transport } from '$lib/server/notify/transports';
import {
	backoffSeconds,
	deliverDue,
	MAX_ATTEMPTS,
	retryDead,
	scrub,
	startNotifier
} from '$lib/server/notify/worker';
import { askQuestion, purgeExpiredContacts, type NewQuestion } from '$lib/server/questions/ask';
import { backends, migratedDb, type TestDb } from './harness';
import { provinceWithCommune, staffMember } from './places';

const KIND = 'test.ping';
const EMAIL = 'nguoi.hoi@example.vn';
const PHONE = '0912345678';

defineKind(KIND, async (_db, n, lang) => ({
	subject: lang === 'vi' ? 'Thử' : 'Test',
	lines: [String(n.params.line ?? 'ping')]
}));

type Sent = {
	deliveryId: string;
	channel: 'email' | 'webhook';
	kind: string;
	to: Message['to'];
};

/** What the transports do now; each test says. Both channels go through it. */
let sender: (message: Message, deliveryId: string) => Promise<void>;
const through = (channel: Sent['channel']): Transport => ({
	send: (message, deliveryId) =>
		sender({ ...message, kind: `${channel}:${message.kind}` }, deliveryId)
});

/** Records every message sent, after `delayMs`. */
function recorder(delayMs = 0) {
	const sent: Sent[] = [];
	const send = async (message: Message, deliveryId: string) => {
		if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
		sent.push({
			deliveryId,
			channel: message.kind.split(':')[0] as Sent['channel'],
			kind: message.kind.split(':')[1]!,
			to: message.to
		});
	};
	return { sent, send };
}

describe.each(backends)('the notification outbox on %s', (backend) => {
	let t: TestDb;
	/** a second pool: a second app server (the same database object on PGlite) */
	let other: Db;
	let unit: number;
	let staffId: string;

	const question = (title: string, over: Partial<NewQuestion> = {}): NewQuestion => ({
		topic: 'dat-dai',
		unitId: unit,
		agencyId: null,
		title,
		body: 'Xin hỏi thủ tục cấp Giấy chứng nhận quyền sử dụng đất lần đầu gồm những gì?',
		name: 'Nguyễn Văn Hỏi',
		email: EMAIL,
		phone: PHONE,
		consent: true,
		files: [],
		...over
	});

	/** This file's deliveries (asking a question also writes the asker's acknowledgment). */
	const deliveries = () =>
		t.db
			.selectFrom('notification_delivery as d')
			.innerJoin('notification as n', 'n.id', 'd.notification_id')
			.selectAll('d')
			.where('n.kind', '=', KIND)
			.orderBy('d.id')
			.execute()
			.then((rows) => rows.map((r) => ({ ...r, id: String(r.id) })));

	/** Seconds from the database's now to the delivery's next try. */
	const secondsToNext = async (id: string) => {
		const row = await sql<{ s: number }>`
			select extract(epoch from next_at - now())::float8 as s
			from notification_delivery where id = ${id}`.execute(t.db);
		return Number(row.rows[0]!.s);
	};

	/** N notifications for the staff member, e-mail only. */
	async function staffNotifications(n: number): Promise<string[]> {
		const ids: string[] = [];
		for (let i = 0; i < n; i++) {
			const id = await notify(t.db, { userId: staffId, kind: KIND, params: { line: `#${i}` } });
			ids.push(id!);
		}
		return ids;
	}

	beforeAll(async () => {
		t = await migratedDb(backend);
		other = t.url ? openDb({ databaseUrl: t.url, pgliteDir: 'memory://', poolMax: 4 }).db : t.db;
		unit = (await provinceWithCommune(t.db)).commune;
		staffId = (await staffMember(t.db, 'canbo@x.vn', [{ role: 'moderator', agencyId: null }])).id;
		useTransport('email', through('email'));
		useTransport('webhook', through('webhook'));
	});
	afterAll(async () => {
		useTransport('email', undefined);
		useTransport('webhook', undefined);
		if (other !== t.db) await other.destroy();
		await t?.close();
	});
	beforeEach(async () => {
		await t.db.deleteFrom('notification').execute();
		sender = recorder().send;
	});

	it('writes a notification with its step: a step that fails leaves neither behind', async () => {
		const title = 'Câu hỏi của một bước bị hủy';
		await expect(
			inTransaction(t.db, async (trx) => {
				const asked = await askQuestion(trx, question(title));
				expect(await notify(trx, { questionId: asked.id, kind: KIND })).not.toBeNull();
				throw new Error('the step failed after notify');
			})
		).rejects.toThrow('the step failed after notify');
		const left = await t.db
			.selectFrom('question')
			.select('id')
			.where('title', '=', title)
			.execute();
		expect(left).toEqual([]);
		expect(await t.db.selectFrom('notification').selectAll().execute()).toEqual([]);
		expect(await deliveries()).toEqual([]);

		const kept = 'Câu hỏi của một bước thành công';
		const asked = await inTransaction(t.db, async (trx) => {
			const asked = await askQuestion(trx, question(kept));
			await notify(trx, { questionId: asked.id, kind: KIND, params: { line: 'đã nhận' } });
			return asked;
		});
		const events = await t.db
			.selectFrom('question_event')
			.select('kind')
			.where('question_id', '=', asked.id)
			.execute();
		expect(events.map((e) => e.kind)).toEqual(['received']);
		const rows = await deliveries();
		expect(rows.map((r) => r.channel).sort()).toEqual(['email', 'webhook']);
		// the outbox names who, never an address
		const stored = await t.db.selectFrom('notification').selectAll().execute();
		const outbox = JSON.stringify([stored, rows]);
		expect(outbox).not.toContain(EMAIL);
		expect(outbox).not.toContain(PHONE);

		const r = recorder();
		sender = r.send;
		// this file's message and the acknowledgment, each by e-mail and webhook
		expect(await deliverDue(t.db)).toMatchObject({ sent: 4, retry: 0 });
		expect(
			r.sent
				.filter((s) => s.kind === KIND)
				.map((s) => [s.channel, s.channel === 'email' ? s.to.email : s.to.phone])
				.sort()
		).toEqual([
			['email', EMAIL],
			['webhook', PHONE]
		]);
	});

	it('writes nothing for an asker who gave no consent, and once per dedupe key', async () => {
		const asked = await askQuestion(t.db, question('Không đồng ý nhận tin', { consent: false }));
		expect(await notify(t.db, { questionId: asked.id, kind: KIND })).toBeNull();
		const key = `test:${backend}:digest`;
		expect(await notify(t.db, { userId: staffId, kind: KIND, dedupeKey: key })).not.toBeNull();
		expect(await notify(other, { userId: staffId, kind: KIND, dedupeKey: key })).toBeNull();
		expect(await deliveries()).toHaveLength(1);
	});

	it('two workers deliver each notification exactly once', async () => {
		const n = 24;
		await staffNotifications(n);
		const r = recorder(15);
		sender = r.send;
		const [a, b] = await Promise.all([deliverDue(t.db, 3), deliverDue(other, 3)]);
		expect(a.sent + b.sent).toBe(n);
		// both took a share: the test saw two workers at once, not one after the other
		expect(a.sent).toBeGreaterThan(0);
		expect(b.sent).toBeGreaterThan(0);
		const ids = r.sent.map((s) => s.deliveryId);
		expect(new Set(ids).size).toBe(n);
		const rows = await deliveries();
		expect(rows.map((d) => d.id).sort()).toEqual([...ids].sort());
		expect(rows.every((d) => d.status === 'sent' && d.attempts === 1)).toBe(true);
	});

	it('a worker killed mid-send keeps its batch until its lease lapses, then another sends it once', async () => {
		await staffNotifications(3);
		let entered!: () => void;
		const sending = new Promise<void>((resolve) => (entered = resolve));
		// the first worker takes all three and never comes back from the first send
		sender = () => {
			entered();
			return new Promise<void>(() => {});
		};
		void deliverDue(t.db, 10);
		await sending;

		const r = recorder();
		sender = r.send;
		expect(await deliverDue(other)).toMatchObject({ sent: 0, retry: 0 });
		const held = await deliveries();
		expect(held.every((d) => d.status === 'pending' && d.attempts === 1)).toBe(true);
		expect(held.every((d) => d.locked_until !== null)).toBe(true);
		expect(r.sent).toEqual([]);

		// its lease runs out
		await sql`update notification_delivery set locked_until = now() - interval '1 second'`.execute(
			t.db
		);
		expect(await deliverDue(other)).toMatchObject({ sent: 3 });
		expect(await deliverDue(other)).toMatchObject({ sent: 0 });
		expect(new Set(r.sent.map((s) => s.deliveryId)).size).toBe(3);
		expect(r.sent).toHaveLength(3);
		const done = await deliveries();
		expect(done.every((d) => d.status === 'sent' && d.attempts === 2)).toBe(true);
	});

	it('a worker that outlives its lease does not release the next worker’s claim', async () => {
		await staffNotifications(1);
		/** a send that waits until the test settles it */
		const held = () => {
			let settle!: (e?: Error) => void;
			let entered!: () => void;
			const started = new Promise<void>((resolve) => (entered = resolve));
			const send = () => {
				entered();
				return new Promise<void>(
					(resolve, reject) => (settle = (e) => (e ? reject(e) : resolve()))
				);
			};
			return { started, send, settle: (e?: Error) => settle(e) };
		};
		const first = held();
		sender = first.send;
		const slow = deliverDue(t.db);
		await first.started;
		await sql`update notification_delivery set locked_until = now() - interval '1 second'`.execute(
			t.db
		);
		// a second worker takes it again and is still sending when the first one fails, late
		const second = held();
		sender = second.send;
		const next = deliverDue(other);
		await second.started;
		first.settle(new Error('connection reset'));
		await slow;
		const [d] = await deliveries();
		expect(d).toMatchObject({ status: 'pending', attempts: 2, last_error: null });
		expect(d!.locked_until).not.toBeNull();
		// so a third worker finds nothing to take while the second one holds it
		const r = recorder();
		sender = r.send;
		expect(await deliverDue(t.db)).toMatchObject({ sent: 0, retry: 0 });
		second.settle();
		expect(await next).toMatchObject({ sent: 1 });
		expect(r.sent).toEqual([]);
		expect((await deliveries())[0]).toMatchObject({
			status: 'sent',
			attempts: 2,
			last_error: null
		});
	});

	it('a worker stopped at shutdown settles the batch in hand and claims no more', async () => {
		await staffNotifications(12);
		const r = recorder();
		let release!: () => void;
		let entered!: () => void;
		const started = new Promise<void>((resolve) => (entered = resolve));
		const gate = new Promise<void>((resolve) => (release = resolve));
		sender = async (message, deliveryId) => {
			entered();
			await gate;
			await r.send(message, deliveryId);
		};
		const notifier = startNotifier(t.db, 3600);
		await started;
		const stopped = notifier.stop();
		release();
		await stopped;
		// its first batch (10) sent and settled, the rest left unclaimed for the next process
		const rows = await deliveries();
		expect(r.sent).toHaveLength(10);
		expect(rows.filter((d) => d.status === 'sent')).toHaveLength(10);
		const left = rows.filter((d) => d.status === 'pending');
		expect(left).toHaveLength(2);
		expect(left.every((d) => d.attempts === 0 && d.locked_until === null)).toBe(true);
		notifier.kick();
		expect(await deliverDue(t.db)).toMatchObject({ sent: 2 });
	});

	it('backs off 1, 2, 4… minutes, gives up after MAX_ATTEMPTS, and an admin’s retry sends it', async () => {
		const warn = vi.spyOn(log, 'warn');
		await staffNotifications(1);
		sender = async () => {
			throw new Error(`550 <${EMAIL}> mailbox unavailable; call +84 912 345 678`);
		};
		for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
			expect(await deliverDue(t.db)).toMatchObject({ retry: 1, sent: 0 });
			const [d] = await deliveries();
			expect(d!.attempts).toBe(attempt);
			expect(d!.status).toBe('pending');
			expect(d!.locked_until).toBeNull();
			const wait = await secondsToNext(d!.id);
			expect(wait).toBeGreaterThan(backoffSeconds(attempt) - 5);
			expect(wait).toBeLessThanOrEqual(backoffSeconds(attempt));
			// not due yet: nothing happens
			expect(await deliverDue(t.db)).toMatchObject({ retry: 0, sent: 0 });
			await sql`update notification_delivery set next_at = now() - interval '1 second'`.execute(
				t.db
			);
		}
		expect(await deliverDue(t.db)).toMatchObject({ dead: 1 });
		const [dead] = await deliveries();
		expect(dead).toMatchObject({ status: 'dead', attempts: MAX_ATTEMPTS, locked_until: null });
		expect(dead!.done_at).not.toBeNull();
		// the error is kept and logged without the address or the number
		expect(dead!.last_error).toBe('550 <[address]> mailbox unavailable; call [number]');
		expect(JSON.stringify(warn.mock.calls)).not.toMatch(/example\.vn|912 345 678/);
		expect(warn).toHaveBeenCalledTimes(MAX_ATTEMPTS);
		warn.mockRestore();
		// a dead letter stays dead
		expect(await deliverDue(t.db)).toMatchObject({ dead: 0, retry: 0 });

		const r = recorder();
		sender = r.send;
		expect(await retryDead(t.db, dead!.id)).toBe(true);
		expect(await retryDead(t.db, dead!.id)).toBe(false);
		expect(await deliverDue(t.db)).toMatchObject({ sent: 1 });
		expect(r.sent.map((s) => s.deliveryId)).toEqual([dead!.id]);
		expect((await deliveries())[0]).toMatchObject({
			status: 'sent',
			attempts: 1,
			last_error: null
		});
		expect(await retryDead(t.db, dead!.id)).toBe(false);
	});

	it('drops, unsent, what is due for a contact deleted at the end of its retention or stopped', async () => {
		const purged = await askQuestion(t.db, question('Liên hệ hết hạn lưu giữ'));
		const stopped = await askQuestion(t.db, question('Người hỏi đã dừng nhận tin'));
		await notify(t.db, { questionId: purged.id, kind: KIND });
		await notify(t.db, { questionId: stopped.id, kind: KIND });
		await t.db
			.updateTable('question_contact')
			.set({ purge_after: new Date(Date.now() - 1000) })
			.where('question_id', '=', purged.id)
			.execute();
		expect(await purgeExpiredContacts(t.db)).toBeGreaterThanOrEqual(1);
		await t.db
			.updateTable('question_contact')
			.set({ stopped_at: new Date() })
			.where('question_id', '=', stopped.id)
			.execute();

		const r = recorder();
		sender = r.send;
		// this file's two and the two acknowledgments, each by e-mail and webhook
		expect(await deliverDue(t.db)).toMatchObject({ dropped: 8, sent: 0 });
		expect(r.sent).toEqual([]);
		const rows = await deliveries();
		expect(rows.map((d) => d.status)).toEqual(['dropped', 'dropped', 'dropped', 'dropped']);
		// and nothing new is written for them
		expect(await notify(t.db, { questionId: purged.id, kind: KIND })).toBeNull();
		expect(await notify(t.db, { questionId: stopped.id, kind: KIND })).toBeNull();
	});
});

describe('scrub', () => {
	it('takes addresses and phone numbers out of an error', () => {
		expect(scrub('RCPT TO:<a.b+c@mail.gov.vn> rejected')).toBe('RCPT TO:<[address]> rejected');
		expect(scrub('invalid number 0912.345.678 and +84-912-345-678')).toBe(
			'invalid number [number] and [number]'
		);
		expect(scrub('call (024) 3825 1234 or 024-3825-1234')).toBe('call ([number] or [number]');
		// what an administrator needs to see stays
		expect(scrub('connect ECONNREFUSED 127.0.0.1:587')).toBe('connect ECONNREFUSED 127.0.0.1:587');
		expect(scrub('Greeting never received at 2026-12-06 10:00')).toBe(
			'Greeting never received at 2026-12-06 10:00'
		);
		expect(scrub('webhook answered 503')).toBe('webhook answered 503');
		expect(scrub('at 2026-12-06 0912345678 refused')).toBe('at 2026-12-06 [number] refused');
		expect(scrub('x'.repeat(600))).toHaveLength(500);
	});
});
