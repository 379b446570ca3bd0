import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startOwnServer, stopOwnServer, untilServing, type OwnServer } from './own-server';

// Stops a second `node build` of its own, so that stopping it does not disturb the other tests.
const port = 4188;
const origin = `http://localhost:${port}`;
const start = (dataDir: string) =>
	startOwnServer(port, { DATA_DIR: dataDir, SEED_DEMO: 'true', SHUTDOWN_TIMEOUT: '10' });

test('SIGTERM finishes the requests in flight, closes the database and exits; the data reopens', async () => {
	test.setTimeout(300_000);
	const dataDir = mkdtempSync(join(tmpdir(), 'civic-voice-shutdown-'));
	let first: OwnServer | undefined;
	let second: OwnServer | undefined;
	try {
		const one = await start(dataDir);
		first = one;
		await untilServing(one);
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
		one.child.kill('SIGTERM');
		const exit = new Promise<number | null>((resolve) =>
			one.child.once('exit', (code) => resolve(code))
		);
		await new Promise((r) => setTimeout(r, 500));
		for (const writer of writers) {
			await writer.write(new TextEncoder().encode('password=wrong-password'));
			await writer.close();
		}
		// answered in full: the generic sign-in error, not a dropped connection
		expect(await Promise.all(inFlight)).toEqual(Array(5).fill(400));
		expect(await exit).toBe(0);
		expect(one.output()).toContain('database closed');
		await expect(fetch(`${origin}/`)).rejects.toThrow();

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
