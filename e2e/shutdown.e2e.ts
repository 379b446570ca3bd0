import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ownPort, startOwnServer, stopOwnServer, untilServing, type OwnServer } from './own-server';

// Stops a second `node build` of its own, so that stopping it does not disturb the other tests.
const port = ownPort(1);
const origin = `http://localhost:${port}`;
const start = (dataDir: string) =>
	startOwnServer(port, { DATA_DIR: dataDir, SEED_DEMO: 'true', SHUTDOWN_TIMEOUT: '30' });

/**
 * A sign-in post whose body is held back. `read` resolves once the server has read its headers
 * (it answers "100 Continue"): from then on the request is in flight. `send` sends the body;
 * `status` is the answer's.
 */
function heldSignIn() {
	const req = request({
		host: '127.0.0.1',
		port,
		method: 'POST',
		path: '/sign-in',
		headers: {
			origin,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded',
			expect: '100-continue'
		}
	});
	const failed = new Promise<never>((_, reject) => req.once('error', reject));
	const read = Promise.race([new Promise<void>((r) => req.once('continue', r)), failed]);
	const status = Promise.race([
		new Promise<number>((r) =>
			req.once('response', (res) => {
				res.resume();
				r(res.statusCode!);
			})
		),
		failed
	]);
	req.flushHeaders();
	return {
		read,
		status,
		send: () => req.end('email=someone%40example.vn&password=wrong-password')
	};
}

/** Resolves once the port refuses new connections: the server has begun to stop. */
async function untilRefusing(limitMs = 60_000) {
	const deadline = Date.now() + limitMs;
	while (Date.now() < deadline) {
		const refused = await new Promise<boolean>((resolve) => {
			const socket = connect(port, '127.0.0.1');
			socket.once('connect', () => {
				socket.destroy();
				resolve(false);
			});
			socket.once('error', () => resolve(true));
		});
		if (refused) return;
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`port ${port} still took connections ${limitMs / 1000} s after SIGTERM`);
}

test('SIGTERM finishes the requests in flight, closes the database and exits; the data reopens', async () => {
	test.setTimeout(300_000);
	const dataDir = mkdtempSync(join(tmpdir(), 'civic-voice-shutdown-'));
	let first: OwnServer | undefined;
	let second: OwnServer | undefined;
	try {
		const one = await start(dataDir);
		first = one;
		await untilServing(one);
		// requests whose bodies are still to come when the signal arrives: they are in flight
		const inFlight = Array.from({ length: 5 }, heldSignIn);
		await Promise.all(inFlight.map((r) => r.read));
		const exit = new Promise<number | null>((resolve) =>
			one.child.once('exit', (code) => resolve(code))
		);
		one.child.kill('SIGTERM');
		await untilRefusing();
		for (const r of inFlight) r.send();
		// answered in full: the generic sign-in error, not a dropped connection
		expect(await Promise.all(inFlight.map((r) => r.status))).toEqual(Array(5).fill(400));
		expect(await exit).toBe(0);
		expect(one.output()).toContain('database closed');

		// the embedded database was closed cleanly: it reopens without repair, already seeded
		const two = await start(dataDir);
		second = two;
		await untilServing(two);
		expect(two.output()).not.toContain('demo data seeded');
		const home = await (await fetch(`${origin}/`)).text();
		expect(home).toContain('Tỉnh Tuyên Quang');
		await stopOwnServer(two);
	} finally {
		// a failed check must not leave a server on the port for the next run
		await stopOwnServer(first);
		await stopOwnServer(second);
		rmSync(dataDir, { recursive: true, force: true });
	}
});
