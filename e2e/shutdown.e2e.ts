import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

// Starts a second `node build` of its own (the build the suite's web server made) on a data folder
// of its own, so that stopping it does not disturb the other tests.
const port = 4188;
const origin = `http://localhost:${port}`;

function start(dataDir: string): { child: ChildProcess; output: () => string } {
	let output = '';
	const child = spawn('node', ['build'], {
		env: {
			...process.env,
			PORT: String(port),
			ORIGIN: origin,
			DATA_DIR: dataDir,
			SEED_DEMO: 'true',
			SHUTDOWN_TIMEOUT: '10'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout!.on('data', (d) => (output += d));
	child.stderr!.on('data', (d) => (output += d));
	return { child, output: () => output };
}

async function ready() {
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		try {
			if ((await fetch(origin)).ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`no answer from ${origin} within 60 s`);
}

test('SIGTERM finishes the requests in flight, closes the database and exits; the data reopens', async () => {
	test.setTimeout(120_000);
	const dataDir = mkdtempSync(join(tmpdir(), 'civic-voice-shutdown-'));
	try {
		const first = start(dataDir);
		await ready();
		// requests whose bodies are still arriving when the signal comes: they are in flight
		const writers: WritableStreamDefaultWriter<Uint8Array>[] = [];
		const inFlight = Array.from({ length: 5 }, () => {
			const body = new TransformStream<Uint8Array, Uint8Array>();
			const writer = body.writable.getWriter();
			writers.push(writer);
			void writer.write(new TextEncoder().encode('email=someone%40example.vn&'));
			return fetch(`${origin}/sign-in`, {
				method: 'POST',
				headers: {
					origin,
					accept: 'text/html',
					'content-type': 'application/x-www-form-urlencoded'
				},
				body: body.readable,
				duplex: 'half'
			} as RequestInit).then((r) => r.status);
		});
		await new Promise((r) => setTimeout(r, 500));
		first.child.kill('SIGTERM');
		const exit = new Promise<number | null>((resolve) =>
			first.child.once('exit', (code) => resolve(code))
		);
		await new Promise((r) => setTimeout(r, 500));
		for (const writer of writers) {
			await writer.write(new TextEncoder().encode('password=wrong-password'));
			await writer.close();
		}
		// answered in full: the generic sign-in error, not a dropped connection
		expect(await Promise.all(inFlight)).toEqual(Array(5).fill(400));
		expect(await exit).toBe(0);
		expect(first.output()).toContain('database closed');
		await expect(fetch(`${origin}/`)).rejects.toThrow();

		// the embedded database was closed cleanly: it reopens without repair, already seeded
		const second = start(dataDir);
		await ready();
		expect(second.output()).not.toContain('demo data seeded');
		const home = await (await fetch(`${origin}/`)).text();
		expect(home).toContain('Tỉnh Tuyên Quang');
		second.child.kill('SIGTERM');
		await new Promise((r) => second.child.once('exit', r));
	} finally {
		rmSync(dataDir, { recursive: true, force: true });
	}
});
