#!/usr/bin/env node
// Measures the one-page survey as a phone shows it: the page's height at 360 px
// (document.documentElement.scrollHeight, JavaScript on and off), whether it scrolls sideways at
// 320 px, and its HTML bytes as the server sends them (raw and gzip). Builds nothing: it measures
// a running server (BENCH_URL=http://host:port) or starts the production build already there
// (`npm run build` first) on BENCH_PORT with the demo data. BENCH_SURVEYS lists the waves
// (comma-separated slugs). Prints one JSON line per figure; needs Chromium (CHROMIUM_PATH).
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startServer } from './lib/harness.js';

const surveys = (process.env.BENCH_SURVEYS ?? 'sipas-mot-cua-vi-xuyen-2026').split(',');
const port = Number(process.env.BENCH_PORT ?? 4198);
const started = process.env.BENCH_URL
	? null
	: await startServer({
			port,
			env: { PGLITE_DIR: 'memory://', SEED_DEMO: 'true', LOG_LEVEL: 'warn' },
			readyPath: `/surveys/${surveys[0]}`
		});
const origin = process.env.BENCH_URL ?? `http://localhost:${port}`;

/** @param {string} metric @param {number} value @param {string} unit @param {object} more */
const print = (metric, value, unit, more) =>
	console.log(JSON.stringify({ metric, value, unit, ...more }));

const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
	args: ['--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking']
});
try {
	for (const survey of surveys) {
		const path = `/surveys/${survey}`;
		const response = await fetch(origin + path, { headers: { 'accept-encoding': 'identity' } });
		if (!response.ok) throw new Error(`${path}: ${response.status}`);
		const html = Buffer.from(await response.arrayBuffer());
		print('survey_html_bytes', html.length, 'B', { survey });
		print('survey_html_gzip_bytes', gzipSync(html, { level: 9 }).length, 'B', { survey });
		for (const js of [true, false]) {
			for (const width of [360, 320]) {
				const context = await browser.newContext({
					viewport: { width, height: 740 },
					javaScriptEnabled: js
				});
				const page = await context.newPage();
				await page.goto(origin + path, { waitUntil: 'load' });
				const size = await page.evaluate(() => ({
					height: document.documentElement.scrollHeight,
					width: document.documentElement.scrollWidth,
					questions: document.querySelectorAll('[data-question]').length
				}));
				const more = { survey, js, questions: size.questions };
				if (width === 360) print('survey_height_360', size.height, 'px', more);
				else print('survey_overflow_320', Math.max(0, size.width - width), 'px', more);
				await context.close();
			}
		}
	}
} finally {
	await browser.close();
	started?.child.kill('SIGTERM');
}
