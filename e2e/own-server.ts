import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { port as suitePort } from '../playwright.config';

/**
 * A second `node build` of its own (the build the suite's web server made), on a port and data
 * folder of its own, for tests that stop a server or need one started differently. Its
 * environment is the test's, without SEED_DEMO and the first administrator's variables unless
 * `env` sets them.
 */
export type OwnServer = { child: ChildProcess; origin: string; output: () => string };

/**
 * The port of a test's own server: the suite's (E2E_PORT) plus `offset`, one offset per test
 * file, so that two runs given different E2E_PORT values never meet.
 */
export const ownPort = (offset: 1 | 2 | 3) => suitePort + offset;

/** Fails when something already listens on `port`: the test would talk to a stranger. */
async function assertPortFree(port: number) {
	await new Promise<void>((resolve, reject) => {
		const probe = createServer();
		probe.once('error', () =>
			reject(new Error(`port ${port} is taken (a server left from an earlier run?)`))
		);
		probe.listen(port, () => probe.close(() => resolve()));
	});
}

/** `node` options go before the build (e.g. `--import` of e2e/clock/shifted-clock.mjs). */
export async function startOwnServer(
	port: number,
	env: Record<string, string>,
	nodeOptions: string[] = []
): Promise<OwnServer> {
	await assertPortFree(port);
	const origin = `http://localhost:${port}`;
	const inherited = { ...process.env };
	for (const name of ['SEED_DEMO', 'BOOTSTRAP_ADMIN_EMAIL', 'BOOTSTRAP_ADMIN_PASSWORD'])
		delete inherited[name];
	let output = '';
	const child = spawn('node', [...nodeOptions, 'build'], {
		env: { ...inherited, PORT: String(port), ORIGIN: origin, ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout!.on('data', (d) => (output += d));
	child.stderr!.on('data', (d) => (output += d));
	return { child, origin, output: () => output };
}

/** Resolves once the server answers its home page; fails at once if it exits first. */
export async function untilServing(server: OwnServer, limitMs = 150_000) {
	const deadline = Date.now() + limitMs;
	while (Date.now() < deadline) {
		if (server.child.exitCode !== null)
			throw new Error(`the server exited (${server.child.exitCode}):\n${server.output()}`);
		try {
			if ((await fetch(server.origin)).ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(
		`no answer from ${server.origin} within ${limitMs / 1000} s:\n${server.output()}`
	);
}

/** Stops the server with SIGTERM and waits for it to exit; safe to call again. */
export async function stopOwnServer(server: OwnServer | undefined): Promise<number | null> {
	if (!server) return null;
	if (server.child.exitCode !== null || server.child.signalCode !== null)
		return server.child.exitCode;
	const exited = new Promise<number | null>((r) => server.child.once('exit', (code) => r(code)));
	server.child.kill('SIGTERM');
	return exited;
}
