import { sql } from 'kysely';
import type { Db } from '../db';
import type { DeliveryChannel } from '../db/schema';
import { errorFields, log } from '../log';
import './kinds';
import { renderMessage } from './render';
import { transportOf } from './transports';

/** Tries before a delivery is given up and listed as a dead letter for an administrator. */
export const MAX_ATTEMPTS = 8;

/**
 * How long a worker's claim lasts. Longer than any send may take (the SMTP and webhook timeouts
 * are below it), so a live worker never loses its claim; a killed one's claim lapses and the
 * delivery is tried again.
 */
export const LEASE_SECONDS = 120;

/** Wait before try n+1 after n failures: 1, 2, 4, 8… minutes, at most 6 hours. */
export function backoffSeconds(failures: number): number {
	return Math.min(60 * 2 ** Math.max(0, failures - 1), 6 * 3600);
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const DATE = /^\d{4}-\d{2}-\d{2}\b/;

/** Phone numbers out: nine digits or more however grouped; an IPv4 address or a date stays. */
function scrubNumbers(text: string): string {
	return text.replace(/\+?\d[\d .()-]{7,}\d/g, (s) => {
		if (IPV4.test(s)) return s;
		const date = DATE.exec(s)?.[0];
		if (date) return date + scrubNumbers(s.slice(date.length));
		return s.replace(/\D/g, '').length < 9 ? s : '[number]';
	});
}

/**
 * An error as it may be kept and logged: addresses and phone numbers taken out; server
 * addresses, ports and dates left for the administrator.
 */
export function scrub(message: string): string {
	return scrubNumbers(message.replace(/[^\s<>"'@]+@[^\s<>"'@]+/g, '[address]')).slice(0, 500);
}

type Claimed = {
	id: string;
	notification_id: string;
	channel: DeliveryChannel;
	attempts: number;
	next_at: Date;
};

/**
 * Takes up to `batch` deliveries that are due, for this worker alone: rows locked with SKIP LOCKED
 * while the claim is written, so two workers (on one server or several) never take the same one.
 */
async function claim(db: Db, batch: number): Promise<Claimed[]> {
	const result = await sql<Claimed>`
		update notification_delivery
		set locked_until = now() + make_interval(secs => ${LEASE_SECONDS}), attempts = attempts + 1
		where id in (
			select id from notification_delivery
			where status = 'pending' and next_at <= now()
				and (locked_until is null or locked_until < now())
			order by next_at
			limit ${batch}
			for update skip locked
		)
		returning id::text as id, notification_id::text as notification_id, channel, attempts, next_at`.execute(
		db
	);
	// in the order they fell due (RETURNING keeps none): "received" goes before "answered"
	return result.rows.sort(
		(a, b) => +new Date(a.next_at) - +new Date(b.next_at) || Number(a.id) - Number(b.id)
	);
}

type Outcome = 'sent' | 'dropped' | 'retry' | 'dead';

async function settle(db: Db, d: Claimed, outcome: Outcome, error?: string): Promise<void> {
	// only while the claim is still ours: a worker that outlived its lease (the delivery was
	// claimed again, which counts another attempt) must not write over the new holder's outcome
	const base = db
		.updateTable('notification_delivery')
		.where('id', '=', d.id)
		.where('attempts', '=', d.attempts)
		.where('status', '=', 'pending');
	if (outcome === 'retry') {
		await base
			.set({
				locked_until: null,
				last_error: error ?? null,
				next_at: sql`now() + make_interval(secs => ${backoffSeconds(d.attempts)})`
			})
			.execute();
		return;
	}
	await base
		.set({
			status: outcome,
			locked_until: null,
			last_error: error ?? null,
			done_at: sql`now()`
		})
		.execute();
}

async function deliver(db: Db, d: Claimed): Promise<Outcome> {
	try {
		const n = await db
			.selectFrom('notification')
			.select(['id', 'kind', 'question_id', 'user_id', 'dossier_id', 'params'])
			.where('id', '=', d.notification_id)
			.executeTakeFirstOrThrow();
		const transport = transportOf(d.channel);
		const message = await renderMessage(db, n);
		const address = d.channel === 'email' ? message?.to.email : message?.to.phone;
		if (!message || !address) {
			await settle(db, d, 'dropped');
			return 'dropped';
		}
		if (!transport) throw new Error(`no transport for ${d.channel}`);
		await transport.send(message, d.id);
		await settle(db, d, 'sent');
		return 'sent';
	} catch (e) {
		const error = scrub(e instanceof Error ? e.message : String(e));
		const outcome = d.attempts >= MAX_ATTEMPTS ? 'dead' : 'retry';
		// the log names the delivery, never its recipient
		log.warn('notification not delivered', {
			delivery: d.id,
			channel: d.channel,
			attempts: d.attempts,
			outcome,
			reason: error
		});
		await settle(db, d, outcome, error);
		return outcome;
	}
}

/**
 * Sends what is due, batch after batch, until nothing is (or `stopping` says to end after the
 * batch in hand); returns what happened.
 */
export async function deliverDue(
	db: Db,
	batch = 10,
	stopping: () => boolean = () => false
): Promise<Record<Outcome, number>> {
	const counts: Record<Outcome, number> = { sent: 0, dropped: 0, retry: 0, dead: 0 };
	while (!stopping()) {
		const claimed = await claim(db, batch);
		if (!claimed.length) break;
		for (const d of claimed) counts[await deliver(db, d)]++;
	}
	return counts;
}

/**
 * Every app process runs one: it looks for due deliveries every `pollSeconds` (and when kicked
 * after a step). Several processes share the work through the claims. `stop` (at shutdown)
 * resolves once the batch in hand is sent and settled, so a restart neither loses its outcome
 * nor, when the lease lapses, sends it again.
 */
export function startNotifier(
	db: Db,
	pollSeconds: number
): { stop: () => Promise<void>; kick: () => void } {
	let running: Promise<unknown> | null = null;
	let again = false;
	let stopped = false;
	const run = () => {
		if (stopped) return;
		if (running) {
			again = true;
			return;
		}
		running = deliverDue(db, 10, () => stopped)
			.catch((e) => log.error('notification worker failed; will retry', errorFields(e)))
			.finally(() => {
				running = null;
				if (again) {
					again = false;
					run();
				}
			});
	};
	const timer = setInterval(run, pollSeconds * 1000);
	timer.unref();
	run();
	return {
		stop: async () => {
			stopped = true;
			clearInterval(timer);
			await running;
		},
		kick: run
	};
}

/** A dead letter given another round of tries (an administrator's retry). */
export async function retryDead(db: Db, deliveryId: string): Promise<boolean> {
	const row = await db
		.updateTable('notification_delivery')
		.set({ status: 'pending', attempts: 0, next_at: sql`now()`, done_at: null, last_error: null })
		.where('id', '=', deliveryId)
		.where('status', '=', 'dead')
		.returning('id')
		.executeTakeFirst();
	return !!row;
}
