// What the benchmark and fault scripts share: a plain HTTP client, the production server as a
// child process, the survey form's shape and made-up respondents, percentiles.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import http from 'node:http';

/** The demo's open one-page SIPAS-style survey: one POST carries a whole response. */
export const SURVEY_SLUG = 'sipas-mot-cua-vi-xuyen-2026';
const SUBMIT_PATH = `/surveys/${SURVEY_SLUG}?/submit`;
const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @typedef {{ status: number, location: string, retryAfter: string, text: string }} Answer
 * @typedef {{ origin: string, agent?: http.Agent, timeoutMs?: number, formOrigin?: string }} Client
 *   formOrigin: the Origin a form post carries, when the server's ORIGIN is not the address
 *   asked (a node behind a proxy)
 */

/**
 * One request with node:http (its own CPU cost is low, and the scripts share the machine with
 * the server they measure). Rejects on a network error or after `timeoutMs`.
 * @param {Client} client
 * @param {string} method
 * @param {string} path
 * @param {string} [body] urlencoded form
 * @returns {Promise<Answer>}
 */
export function request(client, method, path, body) {
	return new Promise((resolve, reject) => {
		const req = http.request(
			`${client.origin}${path}`,
			{
				method,
				agent: client.agent ?? false,
				timeout: client.timeoutMs ?? 10_000,
				headers: body
					? {
							origin: client.formOrigin ?? client.origin,
							'content-type': 'application/x-www-form-urlencoded',
							accept: 'text/html'
						}
					: { accept: 'text/html' }
			},
			(res) =>
				readBody(res).then(
					(text) =>
						resolve({
							status: res.statusCode ?? 0,
							location: String(res.headers.location ?? ''),
							retryAfter: String(res.headers['retry-after'] ?? ''),
							text
						}),
					reject
				)
		);
		req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
		req.on('error', reject);
		req.end(body);
	});
}

/**
 * The questions of the survey form and the values each may take, read from its page.
 * @param {string} html
 * @returns {[string, string[]][]}
 */
export function formShape(html) {
	/** @type {Map<string, string[]>} */
	const shape = new Map();
	const add = (/** @type {string} */ name, /** @type {string} */ value) =>
		shape.set(name, [...(shape.get(name) ?? []), value]);
	for (const m of html.matchAll(/<input type="(radio|checkbox)" name="([^"]+)" value="([^"]+)"/g))
		add(m[2], m[3]);
	for (const m of html.matchAll(/<select id="[^"]+" name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g))
		for (const o of m[2].matchAll(/<option value="([^"]+)"/g)) add(m[1], o[1]);
	for (const m of html.matchAll(/<input id="[^"]+" name="([^"]+)" type="text" (inputmode)?/g))
		add(m[1], m[2] ? '3' : 'Cấp giấy khai sinh');
	for (const m of html.matchAll(/<textarea id="[^"]+" name="([^"]+)"/g))
		add(m[1], 'Niêm yết rõ thời hạn trả kết quả.');
	return [...shape];
}

/**
 * Respondents' answers: one value for every question (skip logic and "don't know" included),
 * chosen at random, so responses differ as real ones do. Drawn once, so that the client spends
 * its share of the machine on requests rather than on making up answers.
 * @param {[string, string[]][]} shape
 * @returns {string[]} urlencoded bodies without the submit key
 */
export function respondents(shape, count = 64) {
	return Array.from({ length: count }, () => {
		const body = new URLSearchParams({ consent: 'yes' });
		for (const [name, values] of shape) {
			if (name === 'consent' || name === 'interviewer') continue;
			body.append(name, values[Math.floor(Math.random() * values.length)]);
		}
		return body.toString();
	});
}

/** The submit key the survey page put in its form. @param {string} html */
export function submitKeyOf(html) {
	const field = 'name="submit_key" value="';
	const at = html.indexOf(field);
	if (at < 0) throw new Error('no submit key on the survey page');
	return html.slice(at + field.length, html.indexOf('"', at + field.length));
}

/** The receipt a successful submission redirects to, if it is one. @param {Answer} answer */
export function receiptOf(answer) {
	return answer.status === 303 ? answer.location.match(/receipt=([0-9A-Z-]+)/)?.[1] : undefined;
}

/** What the server stores for a submit key (see src/lib/server/surveys/submit.ts). */
export function submitKeyHash(/** @type {number} */ waveId, /** @type {string} */ key) {
	return createHash('sha256').update(`survey-submit|${waveId}|${key}`).digest('hex');
}

/**
 * Sends one response until the server answers with a receipt (or a refusal, which is a bug
 * here: the key is new and the answers valid). Network errors and 5xx are retried.
 * @param {Client} client
 * @param {string} body
 * @param {Record<string, number>} seen statuses and errors met on the way
 * @param {number} deadline
 * @param {string} [path]
 */
export async function submitUntilAnswered(client, body, seen, deadline, path = SUBMIT_PATH) {
	for (let attempt = 1; performance.now() < deadline; attempt++) {
		try {
			const answer = await request(client, 'POST', path, body);
			const receipt = receiptOf(answer);
			if (receipt) return { receipt, attempts: attempt };
			seen[answer.status] = (seen[answer.status] ?? 0) + 1;
			if (answer.status >= 400 && answer.status < 500 && answer.status !== 429)
				return { refused: answer.status, attempts: attempt };
		} catch (e) {
			const code = /** @type {{ code?: string }} */ (e).code ?? 'timeout';
			seen[code] = (seen[code] ?? 0) + 1;
		}
		await sleep(50 + Math.random() * 100 * Math.min(attempt, 10));
	}
	return { attempts: 0 };
}

/** The nearest-rank percentile. @param {number[]} sorted ascending @param {number} p */
export function percentile(sorted, p) {
	return sorted.length
		? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
		: NaN;
}

/**
 * A response's whole body as text.
 * @param {http.IncomingMessage} res
 * @returns {Promise<string>}
 */
export function readBody(res) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		res.on('data', (c) => chunks.push(c));
		res.on('end', () => resolve(Buffer.concat(chunks).toString()));
		res.on('error', reject);
	});
}

/**
 * @typedef {{ child: import('node:child_process').ChildProcess, output: () => string,
 *   exited: Promise<{ code: number | null, signal: NodeJS.Signals | null, at: number }> }} Server
 */

/**
 * A server behind a proxy on this machine, as docs/deploy.md sets it up: listening on loopback
 * only, taking the client's address from the proxy's X-Forwarded-For (one hop).
 */
export const BEHIND_PROXY = {
	HOST: '127.0.0.1',
	ADDRESS_HEADER: 'X-Forwarded-For',
	XFF_DEPTH: '1'
};

/**
 * Starts `node server.js` (the production build) and resolves once `readyPath` answers 200.
 * @param {{ port: number, env: Record<string, string>, readyPath?: string, timeoutMs?: number }} options
 * @returns {Promise<Server>}
 */
export async function startServer({ port, env, readyPath = '/', timeoutMs = 120_000 }) {
	const origin = `http://localhost:${port}`;
	let log = '';
	const child = spawn('node', ['server.js'], {
		env: { ...process.env, PORT: String(port), ORIGIN: origin, ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout?.on('data', (d) => (log = (log + d).slice(-20_000)));
	child.stderr?.on('data', (d) => (log = (log + d).slice(-20_000)));
	const exited = new Promise((resolve) =>
		child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() }))
	);
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null)
			throw new Error(`the server exited before answering:\n${log}`);
		try {
			if ((await fetch(`${origin}${readyPath}`)).ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`the server did not answer within ${timeoutMs / 1000} s:\n${log}`);
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	return {
		child,
		output: () => log,
		exited: /** @type {Server['exited']} */ (exited)
	};
}

/** Stops the server with `signal` and waits for it to exit. @param {Server} server */
export async function stopServer(server, signal = /** @type {NodeJS.Signals} */ ('SIGTERM')) {
	if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill(signal);
	return server.exited;
}
