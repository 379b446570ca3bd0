#!/usr/bin/env node
// Measures what a citizen's browser downloads for public pages of the production build: the
// JavaScript (gzip-compressed, as a server or CDN would send it) and the whole page; and the SIPAS
// survey page's bytes on the wire as the server sends it without compression, in gzip and in
// brotli, with the median time to receive it (BENCH_SURVEY, BENCH_ROUNDS; 0 rounds skips it);
// and a disclosure page with a table: its HTML, JavaScript and CSS as transferred to Chromium
// (BENCH_DISCLOSURE=false skips it). BENCH_PAGES= (empty) skips the other pages.
// Needs `npm run build` first and Chromium (CHROMIUM_PATH). Prints one JSON line per figure.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const port = Number(process.env.BENCH_PORT ?? 4199);
const origin = `http://localhost:${port}`;
const pages = (process.env.BENCH_PAGES ?? '/,/sign-in').split(',').filter(Boolean);
const survey = process.env.BENCH_SURVEY ?? '/surveys/sipas-mot-cua-vi-xuyen-2026';
const rounds = Number(process.env.BENCH_ROUNDS ?? 50);
const disclosure = process.env.BENCH_DISCLOSURE !== 'false';

/**
 * One GET as it goes over the wire (nothing decompressed): its body's bytes and milliseconds.
 * @param {string} path @param {string | undefined} acceptEncoding
 * @returns {Promise<{ bytes: number, ms: number, encoding: string }>}
 */
function wire(path, acceptEncoding) {
	const started = performance.now();
	return new Promise((resolve, reject) => {
		const headers = acceptEncoding ? { 'accept-encoding': acceptEncoding } : {};
		request(new URL(path, origin), { headers }, (res) => {
			let bytes = 0;
			res.on('data', (chunk) => (bytes += chunk.length));
			res.on('end', () => {
				if (res.statusCode !== 200) reject(new Error(`${path}: ${res.statusCode}`));
				const encoding = String(res.headers['content-encoding'] ?? 'identity');
				resolve({ bytes, ms: performance.now() - started, encoding });
			});
			res.on('error', reject);
		})
			.on('error', reject)
			.end();
	});
}

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
	/** @type {[string, string | undefined][]} */
	const encodings = [
		['identity', undefined],
		['gzip', 'gzip'],
		['br', 'gzip, deflate, br']
	];
	for (const [encoding, accept] of rounds > 0 ? encodings : []) {
		const runs = [];
		for (let i = 0; i < rounds; i++) runs.push(await wire(survey, accept));
		if (runs.some((r) => r.encoding !== encoding))
			throw new Error(`${survey}: asked for ${encoding}, got ${runs[0]?.encoding}`);
		const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
		console.log(
			JSON.stringify({
				metric: 'survey_page_wire_bytes',
				value: runs.at(-1)?.bytes,
				unit: 'B',
				encoding
			})
		);
		console.log(
			JSON.stringify({
				metric: 'survey_page_ms_median',
				value: Math.round(ms[Math.floor(ms.length / 2)] * 10) / 10,
				unit: 'ms',
				encoding,
				rounds
			})
		);
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
	if (disclosure) await disclosurePage();
} finally {
	await browser.close();
	server.kill('SIGTERM');
}

/**
 * The first disclosure whose page has a table (the demo's budget estimate), loaded in Chromium
 * until the network is idle (a chart drawn by a script loads its library after hydration): the
 * bytes of its HTML, JavaScript and CSS as transferred (encoded bodies), and whether a chart.js
 * chunk came with them.
 */
async function disclosurePage() {
	const list = await (await fetch(`${origin}/disclosures`)).text();
	const paths = [
		...new Set([...list.matchAll(/href="\.?(\/disclosures\/\d+)"/g)].map((m) => m[1]))
	];
	let path;
	for (const p of paths)
		if ((await (await fetch(origin + p)).text()).includes('<table')) {
			path = p;
			break;
		}
	if (!path) throw new Error('no disclosure with a table in /disclosures');
	const page = await browser.newPage();
	/** @type {Promise<{ type: string, url: string, bytes: number, text: string }>[]} */
	const loaded = [];
	page.on('requestfinished', (req) =>
		loaded.push(
			Promise.all([req.sizes(), req.response().then((r) => r?.text() ?? '')]).then(
				([sizes, text]) => ({
					type: req.resourceType(),
					url: req.url(),
					bytes: sizes.responseBodySize,
					text
				})
			)
		)
	);
	await page.goto(origin + path, { waitUntil: 'networkidle' });
	const all = await Promise.all(loaded);
	const of = (/** @type {string} */ type) =>
		all.filter((r) => r.type === type).reduce((sum, r) => sum + r.bytes, 0);
	const [html, js, css] = [of('document'), of('script'), of('stylesheet')];
	console.log(
		JSON.stringify({
			metric: 'disclosure_page_bytes',
			value: html + js + css,
			unit: 'B',
			page: path,
			html,
			js,
			css,
			scripts: all.filter((r) => r.type === 'script').length,
			chartjs: all.some((r) => r.type === 'script' && /maintainAspectRatio/.test(r.text))
		})
	);
	await page.close();
}
