#!/usr/bin/env node
// Production entry point: `node server.js`, or `node build` for a single process.
// With DATABASE_URL and WEB_CONCURRENCY > 1 it runs that many copies of the built app sharing
// one port (Node's cluster module). The app servers keep no state of their own (sessions, rate
// limits and drafts live in PostgreSQL), so any copy can answer any request. The embedded
// database belongs to one process, so without DATABASE_URL this always runs one.
import cluster from 'node:cluster';

// adapter-node refuses bodies over 512 KB unless told otherwise; the ask form takes three 5 MB
// attachments, a disclosure files of up to 15 MB each. An explicit BODY_SIZE_LIMIT still wins.
process.env.BODY_SIZE_LIMIT ??= '32M';

/**
 * The primary's few lines, in the app's log format (src/lib/server/log): one JSON object a line.
 * @param {'info' | 'warn' | 'error'} level @param {string} msg @param {Record<string, unknown>} fields
 */
const logLine = (level, msg, fields = {}) =>
	process.stdout.write(
		JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }) + '\n'
	);

const wanted = Number(process.env.WEB_CONCURRENCY ?? 1);
const workers = process.env.DATABASE_URL && Number.isInteger(wanted) && wanted > 1 ? wanted : 1;

if (workers > 1 && cluster.isPrimary) {
	let alive = 0;
	const fork = () => {
		alive++;
		cluster.fork();
	};
	logLine('info', 'starting workers', { workers });
	for (let i = 0; i < workers; i++) fork();
	let stopping = false;
	cluster.on('exit', (worker, code) => {
		alive--;
		if (stopping) {
			// every copy has drained its requests and closed its connections
			if (alive === 0) process.exit(0);
		} else if (code !== 0) {
			logLine('error', 'worker exited; starting another', { pid: worker.process.pid, code });
			fork();
		}
	});
	for (const signal of /** @type {const} */ (['SIGTERM', 'SIGINT'])) {
		process.on(signal, () => {
			stopping = true;
			for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
		});
	}
} else {
	if (cluster.isWorker) {
		// The channel to the primary would keep a drained worker alive: let go of it once the
		// app has finished its requests (adapter-node emits this after SIGTERM).
		process.once('sveltekit:shutdown', () => setImmediate(() => process.disconnect?.()));
	}
	await import('./build/index.js');
}
