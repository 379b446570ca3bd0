#!/usr/bin/env node
// Fault tests of the survey write path against the production build (`npm run test:fault`).
// For each database (a private PostgreSQL cluster of its own, then the embedded one):
//   crash     FAULT_SUBMISSIONS (10,000) responses with unique submit keys from FAULT_CLIENTS
//             concurrent clients that retry with the same key until they get a receipt, while the
//             harness kills the server with SIGKILL every few seconds and restarts it, and (on
//             PostgreSQL) restarts the database in immediate mode twice;
//   double    100 concurrent identical submissions, then the same key with other answers;
//   sigterm   SIGTERM while clients submit: the requests in flight finish, the process exits
//             within SHUTDOWN_TIMEOUT and closes the database;
// then, with the server stopped: every acknowledged key is stored exactly once with its receipt,
// nothing unacknowledged is stored, every response has its answers, the embedded database
// reopens, and the analytics cells equal a recompute from the raw answers.
// On PostgreSQL it then measures the sustainable submission rate, offers twice that rate
// (open model) and half of it, and soaks at twice the rate for FAULT_SOAK_SECONDS (600),
// sampling the server's memory.
// Loopback only, bounded in count and time. Arguments choose the databases: postgres, pglite.
// Prints a table per part, then one JSON line per figure; exits 1 if anything was lost.
import http from 'node:http';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import {
	formShape,
	percentile,
	receiptOf,
	request,
	respondents,
	startServer,
	stopServer,
	submitKeyHash,
	submitUntilAnswered,
	SURVEY_SLUG
} from './lib/harness.js';
import { privatePostgres } from './lib/private-postgres.js';

const env = process.env;
const TOTAL = Number(env.FAULT_SUBMISSIONS ?? 10_000);
const CLIENTS = Number(env.FAULT_CLIENTS ?? 16);
const KILL_EVERY_MS = Number(env.FAULT_KILL_EVERY_MS ?? 3000);
const SCENARIO_LIMIT_MS = Number(env.FAULT_SCENARIO_SECONDS ?? 1800) * 1000;
const SHUTDOWN_TIMEOUT = 10;
const CAPACITY_SECONDS = Number(env.FAULT_CAPACITY_SECONDS ?? 10);
const OVERLOAD_SECONDS = Number(env.FAULT_OVERLOAD_SECONDS ?? 30);
const RECOVERY_SECONDS = Number(env.FAULT_RECOVERY_SECONDS ?? 20);
const SOAK_SECONDS = Number(env.FAULT_SOAK_SECONDS ?? 600);
const port = Number(env.FAULT_PORT ?? 4291);
const pgPort = Number(env.FAULT_PG_PORT ?? 5499);
const origin = `http://localhost:${port}`;
const SUBMIT = `/surveys/${SURVEY_SLUG}?/submit`;
const RUN = Date.now().toString(36);
const backends = process.argv.slice(2).length ? process.argv.slice(2) : ['postgres', 'pglite'];
/** which parts run: crash (with double and SIGTERM), overload (PostgreSQL only) */
const PARTS = (env.FAULT_PARTS ?? 'crash,overload').split(',');

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));
const keyOf = (/** @type {string} */ part, /** @type {number} */ i) =>
	`${part}-${RUN}-${String(i).padStart(7, '0')}`;

/** One line per figure, printed together at the end. @type {object[]} */
const figures = [];
/** @type {string[][]} */
const faultRows = [];
let failed = false;

/**
 * @typedef {{ name: 'postgres' | 'pglite', env: Record<string, string>,
 *   query: (text: string, values?: unknown[]) => Promise<any[]>,
 *   crash?: () => Promise<void>, close: () => Promise<void> }} Backend
 */

/** @returns {Promise<Backend>} */
async function postgresBackend() {
	const cluster = await privatePostgres(pgPort);
	return {
		name: 'postgres',
		env: { DATABASE_URL: cluster.url, DATABASE_POOL_MAX: '10' },
		query: async (text, values) => {
			const client = new pg.Client({ connectionString: cluster.url });
			await client.connect();
			try {
				return (await client.query(text, values)).rows;
			} finally {
				await client.end();
			}
		},
		crash: cluster.restartImmediate,
		close: cluster.stop
	};
}

/** Queries open the folder itself: only while no server has it open. @returns {Promise<Backend>} */
async function pgliteBackend() {
	const dir = mkdtempSync(join(tmpdir(), 'civic-voice-fault-'));
	return {
		name: 'pglite',
		env: { PGLITE_DIR: dir },
		query: async (text, values) => {
			const lite = new PGlite(dir);
			try {
				return (await lite.query(text, values)).rows;
			} finally {
				await lite.close();
			}
		},
		close: async () => rmSync(dir, { recursive: true, force: true })
	};
}

/** @param {Backend} backend @param {Record<string, string>} [extra] */
async function start(backend, extra = {}) {
	for (let attempt = 1; ; attempt++) {
		try {
			return await startServer({
				port,
				env: {
					SEED_DEMO: 'true',
					SURVEY_SUBMITS_PER_HOUR: '1000000',
					SHUTDOWN_TIMEOUT: String(SHUTDOWN_TIMEOUT),
					...backend.env,
					...extra
				},
				readyPath: `/surveys/${SURVEY_SLUG}`,
				timeoutMs: 240_000
			});
		} catch (e) {
			// PostgreSQL may be restarting under it; anything else repeats and is reported
			if (attempt >= 5) throw e;
			await sleep(1000);
		}
	}
}

/** Survey answers to send, drawn from the form the server renders. */
async function answerBodies() {
	const page = await request({ origin }, 'GET', `/surveys/${SURVEY_SLUG}`);
	if (page.status !== 200) throw new Error(`GET survey: ${page.status}`);
	return respondents(formShape(page.text));
}

const withKey = (/** @type {string} */ body, /** @type {string} */ key) =>
	`${body}&submit_key=${encodeURIComponent(key)}`;

/**
 * Part 1: the crash run. Returns the server (restarted as often as it was killed).
 * @param {Backend} backend
 * @param {string[]} bodies
 * @param {Map<string, string>} acked key -> receipt
 * @param {import('./lib/harness.js').Server} firstServer
 */
async function crashRun(backend, bodies, acked, firstServer) {
	let server = firstServer;
	const seen = /** @type {Record<string, number>} */ ({});
	/** @type {string[]} */
	const refused = [];
	let kills = 0;
	/** the last lines of each server that exited without being killed @type {string[]} */
	const diedAlone = [];
	let dbRestarts = 0;
	let retries = 0;
	let next = 0;
	let done = false;
	const started = performance.now();
	const deadline = started + SCENARIO_LIMIT_MS;
	const restartAt = backend.crash ? [TOTAL / 3, (2 * TOTAL) / 3] : [];

	const chaos = (async () => {
		while (!done) {
			await sleep(KILL_EVERY_MS * (0.5 + Math.random()));
			if (done) break;
			if (restartAt.length && acked.size >= restartAt[0]) {
				restartAt.shift();
				await backend.crash?.();
				dbRestarts++;
				continue;
			}
			if (server.child.exitCode !== null || server.child.signalCode !== null) {
				// it died without being killed: that is a failure of its own
				diedAlone.push(server.output().split('\n').slice(-15).join('\n'));
			} else {
				server.child.kill('SIGKILL');
				kills++;
			}
			await server.exited;
			server = await start(backend);
		}
	})();

	const progress = setInterval(
		() =>
			console.error(
				`fault: ${backend.name}: ${acked.size} acknowledged, server killed ${kills}×, db restarted ${dbRestarts}×`
			),
		30_000
	);
	const client = { origin, agent: new http.Agent({ keepAlive: true }) };
	await Promise.all(
		Array.from({ length: CLIENTS }, async () => {
			while (next < TOTAL && performance.now() < deadline) {
				const i = next++;
				const key = keyOf('crash', i);
				const r = await submitUntilAnswered(
					client,
					withKey(bodies[i % bodies.length], key),
					seen,
					deadline
				);
				retries += Math.max(0, r.attempts - 1);
				if (r.receipt) acked.set(key, r.receipt);
				else refused.push(`${key}: ${r.refused ?? 'gave up'}`);
			}
		})
	);
	done = true;
	clearInterval(progress);
	await chaos;
	client.agent.destroy();
	const seconds = (performance.now() - started) / 1000;
	return { server, kills, diedAlone, dbRestarts, retries, seen, refused, seconds, sent: next };
}

/**
 * Part 2: 100 identical submissions at once (each retried, as a client would, if its first try
 * is shed), then the same key with other answers.
 */
async function doubleRun(/** @type {string[]} */ bodies, /** @type {Map<string, string>} */ acked) {
	const key = keyOf('double', 0);
	const body = withKey(bodies[0], key);
	const seen = /** @type {Record<string, number>} */ ({});
	const deadline = performance.now() + 60_000;
	const answers = await Promise.all(
		Array.from({ length: 100 }, () => submitUntilAnswered({ origin }, body, seen, deadline))
	);
	const receipts = new Set(answers.map((a) => a.receipt));
	const ok = answers.filter((a) => a.receipt).length;
	const single = receipts.size === 1 && !receipts.has(undefined);
	if (single) acked.set(key, /** @type {string} */ ([...receipts][0]));
	const other = bodies.find((b) => b !== bodies[0]) ?? `${bodies[0]}&comment=khac`;
	const changed = await request({ origin }, 'POST', SUBMIT, withKey(other, key));
	return { ok, receipts: receipts.size, single, seen, changedStatus: changed.status };
}

/**
 * Part 3: SIGTERM while 16 clients submit, each request on a connection of its own. A request
 * that gets no answer failed in flight only if the server stored it; one it never read (refused,
 * or reset while waiting to be accepted as the listener closed) left nothing behind and a
 * client sends it again elsewhere. The check against the database tells them apart.
 * @param {import('./lib/harness.js').Server} server
 * @param {string[]} bodies
 * @param {Map<string, string>} acked
 */
async function sigtermRun(server, bodies, acked) {
	/** @type {Record<string, number>} */
	const outcomes = {};
	/** requests answered with anything but a receipt */
	const unanswered = /** @type {string[]} */ ([]);
	/** requests without an answer: key -> error */
	const cut = new Map();
	let next = 0;
	let signalledAt = 0;
	const stopping = (async () => {
		await sleep(2000);
		signalledAt = performance.now();
		server.child.kill('SIGTERM');
		return server.exited;
	})();
	await Promise.all(
		Array.from({ length: 16 }, async () => {
			for (;;) {
				const key = keyOf('sigterm', next++);
				try {
					const answer = await request({ origin }, 'POST', SUBMIT, withKey(bodies[0], key));
					const receipt = receiptOf(answer);
					if (receipt) acked.set(key, receipt);
					else unanswered.push(key);
					outcomes[answer.status] = (outcomes[answer.status] ?? 0) + 1;
				} catch (e) {
					const code = /** @type {{ code?: string }} */ (e).code ?? 'timeout';
					outcomes[code] = (outcomes[code] ?? 0) + 1;
					if (code === 'ECONNREFUSED') return;
					cut.set(key, code);
				}
			}
		})
	);
	const exit = await stopping;
	return {
		outcomes,
		unanswered,
		cut,
		exitCode: exit.code,
		exitSeconds: (exit.at - signalledAt) / 1000,
		databaseClosed: server.output().includes('database closed')
	};
}

/** With the server stopped: what the database holds against what was acknowledged. */
async function verify(/** @type {Backend} */ backend, /** @type {Map<string, string>} */ acked) {
	const opened = performance.now();
	const [wave] = await backend.query('select id from survey_wave where slug = $1', [SURVEY_SLUG]);
	const reopenMs = performance.now() - opened;
	const rows = await backend.query(
		`select encode(r.submit_key_hash, 'hex') as hash, r.receipt,
			exists (select from survey_answer a where a.response_id = r.id) as has_answers
		from survey_response r where r.wave_id = $1 and r.mode = 'web'
			and r.submitted_hour >= now() - interval '1 day'`,
		[wave.id]
	);
	const [dup] = await backend.query(
		`select count(*)::int as n from (select submit_key_hash from survey_response
			group by 1 having count(*) > 1) d`
	);
	/** @type {Map<string, { receipt: string, has_answers: boolean }>} */
	const stored = new Map(rows.map((r) => [r.hash, r]));
	const expected = new Map(
		[...acked].map(([key, receipt]) => [submitKeyHash(wave.id, key), receipt])
	);
	let lost = 0;
	let wrongReceipt = 0;
	for (const [hash, receipt] of expected) {
		const row = stored.get(hash);
		if (!row) lost++;
		else if (row.receipt !== receipt) wrongReceipt++;
	}
	const extra = [...stored.keys()].filter((h) => !expected.has(h)).length;
	const withoutAnswers = rows.filter((r) => !r.has_answers).length;
	return {
		waveId: wave.id,
		hashes: new Set(stored.keys()),
		stored: rows.length,
		lost,
		wrongReceipt,
		extra,
		duplicated: dup.n,
		withoutAnswers,
		reopenMs
	};
}

/** `npm run analytics:verify` on the stopped database. */
function verifyAnalytics(/** @type {Backend} */ backend) {
	return new Promise((resolve) => {
		let out = '';
		const child = spawn('node', ['scripts/db.js', 'analytics-verify'], {
			env: { ...process.env, ...backend.env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (out += d));
		child.on('exit', (code) => {
			const line = out.split('\n').find((l) => l.includes(SURVEY_SLUG)) ?? out.slice(-500);
			resolve({ ok: code === 0, line: line.replace(/^analytics: /, '') });
		});
	});
}

const fmt = (/** @type {Record<string, number>} */ counts) =>
	Object.entries(counts)
		.map(([k, v]) => `${k}×${v}`)
		.join(' ') || 'none';

/** @param {Backend} backend */
async function faultRun(backend) {
	const acked = new Map();
	const first = await start(backend);
	const bodies = await answerBodies();

	const crash = await crashRun(backend, bodies, acked, first);
	const double = await doubleRun(bodies, acked);
	const term = await sigtermRun(crash.server, bodies, acked);
	const check = await verify(backend, acked);
	const analytics = /** @type {{ ok: boolean, line: string }} */ (await verifyAnalytics(backend));
	const cutButStored = [...term.cut.keys()].filter((key) =>
		check.hashes.has(submitKeyHash(check.waveId, key))
	).length;
	const failedInFlight = term.unanswered.length + cutButStored;

	const db = backend.name;
	const zero =
		check.lost === 0 &&
		check.duplicated === 0 &&
		check.extra === 0 &&
		check.wrongReceipt === 0 &&
		check.withoutAnswers === 0;
	const crashOk =
		crash.refused.length === 0 && crash.diedAlone.length === 0 && acked.size >= crash.sent;
	for (const log of crash.diedAlone) console.error(`fault: the server died unkilled:\n${log}`);
	const doubleOk = double.ok === 100 && double.single && double.changedStatus === 409;
	const termOk =
		failedInFlight === 0 &&
		term.exitCode === 0 &&
		term.exitSeconds < SHUTDOWN_TIMEOUT &&
		term.databaseClosed;
	failed ||= !(zero && crashOk && doubleOk && termOk && analytics.ok);

	faultRows.push(
		[
			'crash: SIGKILL server every ~3 s' + (backend.crash ? ', 2 immediate db restarts' : ''),
			db,
			`${crash.sent} sent, ${[...acked.keys()].filter((k) => k.startsWith('crash')).length} acknowledged in ${crash.seconds.toFixed(0)} s`,
			`server killed ${crash.kills}×, died unkilled ${crash.diedAlone.length}×, db restarted ${crash.dbRestarts}×, ${crash.retries} retries (${fmt(crash.seen)}), refused ${crash.refused.length}`,
			crashOk ? 'ok' : 'FAILED'
		],
		[
			'100 identical submissions at once',
			db,
			`${double.ok}/100 answered with a receipt, ${double.receipts} distinct receipt(s)`,
			`retried first: ${fmt(double.seen)}; same key, other answers -> ${double.changedStatus}`,
			doubleOk ? 'ok' : 'FAILED'
		],
		[
			'SIGTERM during load',
			db,
			`answers ${fmt(term.outcomes)}`,
			`exit ${term.exitCode} after ${term.exitSeconds.toFixed(1)} s (limit ${SHUTDOWN_TIMEOUT} s), in flight failed ${failedInFlight}, unread and not stored ${term.cut.size - cutButStored}, database closed: ${term.databaseClosed ? 'yes' : 'NO'}`,
			termOk ? 'ok' : 'FAILED'
		],
		[
			'stored vs acknowledged',
			db,
			`${acked.size} acknowledged, ${check.stored} stored`,
			`lost ${check.lost}, duplicated ${check.duplicated}, unacknowledged extra ${check.extra}, wrong receipt ${check.wrongReceipt}, without answers ${check.withoutAnswers}; reopened in ${check.reopenMs.toFixed(0)} ms`,
			zero ? 'ok' : 'FAILED'
		],
		['aggregates vs recompute from raw', db, analytics.line, '', analytics.ok ? 'ok' : 'FAILED']
	);
	for (const [metric, value, unit] of /** @type {[string, number, string][]} */ ([
		['fault_acknowledged', acked.size, 'count'],
		['fault_lost', check.lost, 'count'],
		['fault_duplicated', check.duplicated, 'count'],
		['fault_unacknowledged_stored', check.extra, 'count'],
		['fault_server_kills', crash.kills, 'count'],
		['fault_db_restarts', crash.dbRestarts, 'count'],
		['fault_double_distinct_receipts', double.receipts, 'count'],
		['fault_sigterm_failed_in_flight', failedInFlight, 'count'],
		['fault_sigterm_exit_s', Number(term.exitSeconds.toFixed(2)), 's'],
		['fault_aggregates_match', analytics.ok ? 1 : 0, 'bool']
	]))
		figures.push({ metric, value, unit, db });
}

/**
 * Offers `rate` submissions a second for `seconds` (an open model: requests start on schedule
 * whether or not earlier ones have finished) and tallies the answers.
 * @param {number} rate
 * @param {number} seconds
 * @param {string[]} bodies
 * @param {string} part
 * @param {(elapsed: number) => void} [tick] called about once a second
 */
async function offer(rate, seconds, bodies, part, tick) {
	const client = { origin, agent: new http.Agent({ keepAlive: true, maxSockets: 1024 }) };
	const tally = {
		sent: 0,
		accepted: 0,
		shed: 0,
		shedWithoutRetryAfter: 0,
		other: /** @type {Record<string, number>} */ ({}),
		/** @type {number[]} */ acceptedMs: [],
		/** @type {number[]} */ shedMs: [],
		/** latencies of the last 10 s, to see recovery @type {number[]} */ lastMs: [],
		lastShed: 0,
		maxMs: 0
	};
	let pending = 0;
	const started = performance.now();
	let lastTick = 0;
	for (;;) {
		const elapsed = performance.now() - started;
		if (elapsed >= seconds * 1000) break;
		if (tick && elapsed - lastTick >= 1000) {
			lastTick = elapsed;
			tick(elapsed);
		}
		const due = Math.floor((elapsed / 1000) * rate);
		while (tally.sent < due) {
			const i = tally.sent++;
			const late = elapsed > (seconds - 10) * 1000;
			const t0 = performance.now();
			pending++;
			request(client, 'POST', SUBMIT, withKey(bodies[i % bodies.length], keyOf(part, i)))
				.then((a) => {
					const ms = performance.now() - t0;
					tally.maxMs = Math.max(tally.maxMs, ms);
					if (a.status === 303) tally.acceptedMs.push(ms);
					else if (a.status === 503) {
						tally.shed++;
						tally.shedMs.push(ms);
						if (!a.retryAfter) tally.shedWithoutRetryAfter++;
					} else tally.other[a.status] = (tally.other[a.status] ?? 0) + 1;
					if (late) {
						tally.lastMs.push(ms);
						if (a.status === 503) tally.lastShed++;
					}
				})
				.catch((e) => {
					const code = /** @type {{ code?: string }} */ (e).code ?? 'timeout';
					tally.other[code] = (tally.other[code] ?? 0) + 1;
					tally.maxMs = Math.max(tally.maxMs, performance.now() - t0);
				})
				.finally(() => pending--);
		}
		await sleep(2);
	}
	while (pending > 0) await sleep(20);
	client.agent.destroy();
	tally.accepted = tally.acceptedMs.length;
	for (const list of [tally.acceptedMs, tally.shedMs, tally.lastMs]) list.sort((a, b) => a - b);
	return tally;
}

/** Responses a second the server sustains with 32 clients each waiting for its answer. */
async function capacity(/** @type {string[]} */ bodies) {
	const client = { origin, agent: new http.Agent({ keepAlive: true }) };
	let accepted = 0;
	let next = 0;
	const end = performance.now() + CAPACITY_SECONDS * 1000;
	await Promise.all(
		Array.from({ length: 32 }, async () => {
			while (performance.now() < end) {
				const i = next++;
				const body = withKey(bodies[i % bodies.length], keyOf('cap', i));
				const a = await request(client, 'POST', SUBMIT, body).catch(() => undefined);
				if (a?.status === 303) accepted++;
			}
		})
	);
	client.agent.destroy();
	return accepted / CAPACITY_SECONDS;
}

const rssOf = (/** @type {number} */ pid) =>
	Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/)?.[1] ?? 0) / 1024;

/** @param {Backend} backend */
async function overloadRun(backend) {
	const server = await start(backend);
	const bodies = await answerBodies();
	const rate = await capacity(bodies);
	const over = await offer(2 * rate, OVERLOAD_SECONDS, bodies, 'over');
	const after = await offer(rate / 2, RECOVERY_SECONDS, bodies, 'after');
	/** @type {[number, number][]} */
	const rss = [];
	const pid = /** @type {number} */ (server.child.pid);
	const soak = SOAK_SECONDS
		? await offer(2 * rate, SOAK_SECONDS, bodies, 'soak', (elapsed) => {
				if (rss.length === 0 || elapsed - rss[rss.length - 1][0] >= 10_000)
					rss.push([elapsed, rssOf(pid)]);
			})
		: undefined;
	await stopServer(server);

	const db = backend.name;
	const p = (/** @type {number[]} */ l, /** @type {number} */ q) => percentile(l, q).toFixed(0);
	const rows = [
		['sustained (closed, 32 clients)', `${rate.toFixed(0)}/s`, '', '', '', '', ''],
		...[
			['2× offered', over],
			['½× offered after', after],
			...(soak ? [[`2× soak ${SOAK_SECONDS} s`, soak]] : [])
		].map(([label, t]) => {
			const tally = /** @type {Awaited<ReturnType<typeof offer>>} */ (t);
			return [
				/** @type {string} */ (label),
				`${tally.sent} sent`,
				`${tally.accepted} ok (p50 ${p(tally.acceptedMs, 50)} / p99 ${p(tally.acceptedMs, 99)} ms)`,
				`${tally.shed} shed (p99 ${p(tally.shedMs, 99)} ms, ${tally.shedWithoutRetryAfter} without Retry-After)`,
				`other ${fmt(tally.other)}`,
				`max ${tally.maxMs.toFixed(0)} ms`,
				`last 10 s: ${tally.lastShed} shed, p95 ${p(tally.lastMs, 95)} ms`
			];
		})
	];
	console.log(`\noverload (${db}, open model, POST submissions)`);
	for (const r of rows) console.log(r.filter(Boolean).join(' | '));

	const shedFast = percentile(over.shedMs, 99) <= 1000 || over.shed === 0;
	const noHang = [over, after, ...(soak ? [soak] : [])].every(
		(t) => t.maxMs < 10_000 && !t.other.timeout
	);
	const recovered = after.lastShed === 0;
	figures.push(
		{ metric: 'overload_sustained_rps', value: Math.round(rate), unit: '1/s', db },
		{ metric: 'overload_offered_rps', value: Math.round(2 * rate), unit: '1/s', db },
		{ metric: 'overload_accepted', value: over.accepted, unit: 'count', db },
		{ metric: 'overload_shed_503', value: over.shed, unit: 'count', db },
		{
			metric: 'overload_shed_p99_ms',
			value: Math.round(percentile(over.shedMs, 99) || 0),
			unit: 'ms',
			db
		},
		{ metric: 'overload_max_latency_ms', value: Math.round(over.maxMs), unit: 'ms', db },
		{ metric: 'overload_recovery_shed_last_10s', value: after.lastShed, unit: 'count', db }
	);
	let growthOk = true;
	if (soak && rss.length >= 2) {
		// from the first sample after a minute of soak (warm caches, pools full) to the end
		const base = (rss.find(([t]) => t >= 60_000) ?? rss[0])[1];
		const end = rss[rss.length - 1][1];
		const max = Math.max(...rss.map(([, v]) => v));
		const growth = ((end - base) / base) * 100;
		growthOk = growth <= 10;
		console.log(
			`memory (RSS of the server): after 1 min ${base.toFixed(0)} MB, at end ${end.toFixed(0)} MB, max ${max.toFixed(0)} MB, growth ${growth.toFixed(1)} %`
		);
		console.log(
			`  samples (s, MB): ${rss.map(([t, v]) => `${(t / 1000).toFixed(0)}:${v.toFixed(0)}`).join(' ')}`
		);
		figures.push(
			{ metric: 'soak_rss_start_mb', value: Math.round(base), unit: 'MB', db },
			{ metric: 'soak_rss_end_mb', value: Math.round(end), unit: 'MB', db },
			{ metric: 'soak_rss_growth_pct', value: Number(growth.toFixed(1)), unit: '%', db }
		);
	}
	const ok = shedFast && noHang && recovered && growthOk;
	console.log(
		`shed within 1 s: ${shedFast ? 'yes' : 'NO'}; nothing hung 10 s: ${noHang ? 'yes' : 'NO'}; recovered: ${recovered ? 'yes' : 'NO'}; memory flat: ${growthOk ? 'yes' : 'NO'}`
	);
	failed ||= !ok;
}

for (const name of backends) {
	if (name !== 'postgres' && name !== 'pglite') {
		console.error(`usage: node scripts/fault.js [postgres] [pglite]`);
		process.exit(2);
	}
	const backend = name === 'postgres' ? await postgresBackend() : await pgliteBackend();
	try {
		console.error(`fault: ${name}: ${TOTAL} submissions, ${CLIENTS} clients`);
		if (PARTS.includes('crash')) await faultRun(backend);
		if (name === 'postgres' && PARTS.includes('overload') && OVERLOAD_SECONDS > 0)
			await overloadRun(backend);
	} finally {
		await backend.close();
	}
}

if (faultRows.length)
	console.log(`\nfaults (${TOTAL} submissions, ${CLIENTS} clients retrying with the same key)`);
const widths = [0, 1, 2, 3, 4].map((c) => Math.max(...faultRows.map((r) => r[c].length)));
for (const r of faultRows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join(' | '));
for (const f of figures) console.log(JSON.stringify(f));
process.exit(failed ? 1 : 0);
