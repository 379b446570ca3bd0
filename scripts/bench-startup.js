#!/usr/bin/env node
// Measures how long `npm run dev` takes to serve the home page: first on an empty data folder
// (PGlite initdb, migrations, administrative units, demo data), then again on the warm folder.
// Prints one JSON line per figure. Loopback only; each start is bounded by a 180 s timeout.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const port = Number(process.env.BENCH_PORT ?? 5199);
const dataDir = mkdtempSync(join(tmpdir(), 'civic-voice-bench-'));

async function timeToHome() {
	const started = performance.now();
	const child = spawn('npx', ['vite', 'dev', '--port', String(port), '--strictPort'], {
		env: { ...process.env, DATA_DIR: dataDir, SEED_DEMO: 'true' },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true
	});
	let log = '';
	child.stdout.on('data', (d) => (log += d));
	child.stderr.on('data', (d) => (log += d));
	try {
		while (performance.now() - started < 180_000) {
			try {
				const response = await fetch(`http://127.0.0.1:${port}/`);
				const body = await response.text();
				if (response.status === 200 && body.includes('<h1>')) return performance.now() - started;
			} catch {
				// not listening yet
			}
			await new Promise((r) => setTimeout(r, 100));
		}
		throw new Error(`the dev server did not serve / within 180 s:\n${log}`);
	} finally {
		if (child.pid) process.kill(-child.pid, 'SIGTERM');
		await new Promise((r) => child.once('exit', r));
	}
}

try {
	const cold = await timeToHome();
	const warm = await timeToHome();
	console.log(
		JSON.stringify({
			metric: 'dev_first_page_empty_data_ms',
			value: Math.round(cold),
			unit: 'ms',
			db: 'pglite'
		})
	);
	console.log(
		JSON.stringify({
			metric: 'dev_first_page_warm_data_ms',
			value: Math.round(warm),
			unit: 'ms',
			db: 'pglite'
		})
	);
} finally {
	rmSync(dataDir, { recursive: true, force: true });
}
