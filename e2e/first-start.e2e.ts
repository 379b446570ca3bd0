import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { DEMO, DEMO_PASSWORD } from './helpers';
import { ownPort, startOwnServer, stopOwnServer, untilServing, type OwnServer } from './own-server';

/**
 * `node build` as an operator starts it: adapter-node sets no NODE_ENV, and SEED_DEMO is not set.
 * The portal must not hold the demo accounts, whose password the README publishes.
 */
const port = ownPort(2);

async function signInStatus(server: OwnServer, email: string, password: string) {
	const response = await fetch(`${server.origin}/sign-in`, {
		method: 'POST',
		headers: { origin: server.origin, accept: 'text/html' },
		body: new URLSearchParams({ email, password }),
		redirect: 'manual'
	});
	return { status: response.status, location: response.headers.get('location') };
}

test('node build on an empty data folder has no demo accounts; the first administrator comes from the environment', async () => {
	test.setTimeout(360_000);
	const dataDir = mkdtempSync(join(tmpdir(), 'civic-voice-first-start-'));
	let bare: OwnServer | undefined;
	let configured: OwnServer | undefined;
	try {
		bare = await startOwnServer(port, { DATA_DIR: dataDir });
		await untilServing(bare);
		expect(bare.output()).not.toContain('demo data seeded');
		expect(bare.output()).toContain('no administrator account yet');
		for (const email of [DEMO.admin, DEMO.analyst, 'lanhdao.vixuyen@demo.civicvoice.vn'])
			expect((await signInStatus(bare, email, DEMO_PASSWORD)).status, email).toBe(400);
		const surveys = await (await fetch(`${bare.origin}/surveys`)).text();
		expect(surveys).not.toContain('sipas-mot-cua-vi-xuyen-2026');
		expect(await stopOwnServer(bare)).toBe(0);

		// the operator names the first administrator and restarts on the same data
		const admin = { email: 'quantri@tinh.example.vn', password: 'Mat-khau-quan-tri-2026' };
		configured = await startOwnServer(port, {
			DATA_DIR: dataDir,
			BOOTSTRAP_ADMIN_EMAIL: admin.email,
			BOOTSTRAP_ADMIN_PASSWORD: admin.password
		});
		await untilServing(configured);
		expect(configured.output()).toContain('first administrator created');
		expect(configured.output()).not.toContain('no administrator account yet');
		expect(await signInStatus(configured, admin.email, admin.password)).toEqual({
			status: 303,
			location: '/staff'
		});
		expect((await signInStatus(configured, DEMO.admin, DEMO_PASSWORD)).status).toBe(400);
		expect(await stopOwnServer(configured)).toBe(0);
	} finally {
		// a failed check must not leave a server on the port for the next run
		await stopOwnServer(bare);
		await stopOwnServer(configured);
		rmSync(dataDir, { recursive: true, force: true });
	}
});
