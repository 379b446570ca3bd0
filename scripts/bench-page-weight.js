#!/usr/bin/env node
// Measures what a citizen's browser downloads for public pages of the production build: the
// JavaScript (gzip-compressed, as a server or CDN would send it) and the whole page.
// Needs `npm run build` first and Chromium (CHROMIUM_PATH). Prints one JSON line per figure.
import { spawn } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const port = Number(process.env.BENCH_PORT ?? 4199);
const origin = `http://localhost:${port}`;
const pages = (process.env.BENCH_PAGES ?? '/,/sign-in').split(',');

const server = spawn('node', ['build'], {
	env: {
		...process.env,
		PORT: String(port),
		ORIGIN: origin,
		PGLITE_DIR: 'memory://',
		SEED_DEMO: 'true'
	},
	stdio: ['ignore', 'ignore', 'inherit']
});
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
	args: [
		'--disable-gpu',
		'--disable-dev-shm-usage',
		'--disable-background-networking',
		'--no-first-run'
	]
});
try {
	const deadline = Date.now() + 120_000;
	for (;;) {
		try {
			if ((await fetch(origin)).ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error('node build did not start within 120 s');
		await new Promise((r) => setTimeout(r, 200));
	}
	for (const path of pages) {
		const page = await browser.newPage();
		/** @type {Promise<{ type: string, b: Buffer } | null>[]} */
		const bodies = [];
		page.on('response', (response) =>
			bodies.push(
				response
					.body()
					.then((b) => ({ type: response.request().resourceType(), b }))
					.catch(() => null)
			)
		);
		await page.goto(origin + path, { waitUntil: 'networkidle' });
		const loaded = (await Promise.all(bodies)).filter((r) => r !== null);
		/** @param {{ b: Buffer }[]} items */
		const gz = (items) => items.reduce((sum, { b }) => sum + gzipSync(b, { level: 9 }).length, 0);
		const scripts = loaded.filter((r) => r.type === 'script');
		const name = path === '/' ? 'home' : path.replace(/^\//, '').replace(/\W+/g, '_');
		console.log(
			JSON.stringify({
				metric: `${name}_js_gzip_bytes`,
				value: gz(scripts),
				unit: 'B',
				files: scripts.length
			})
		);
		console.log(
			JSON.stringify({
				metric: `${name}_total_gzip_bytes`,
				value: gz(loaded),
				unit: 'B',
				requests: loaded.length
			})
		);
		await page.close();
	}
} finally {
	await browser.close();
	server.kill('SIGTERM');
}
