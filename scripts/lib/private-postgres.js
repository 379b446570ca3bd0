// A PostgreSQL cluster of the script's own, in a temporary folder, so that a fault script can
// crash and restart it without touching the developer's server or the one the tests use.
// Uses the machine's PostgreSQL binaries (Debian: /usr/lib/postgresql/<version>/bin). As root,
// the cluster runs as the `postgres` system user, since PostgreSQL refuses to run as root.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

function binDir() {
	const root = '/usr/lib/postgresql';
	const versions = existsSync(root)
		? readdirSync(root)
				.filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	if (!versions.length) throw new Error(`no PostgreSQL server binaries under ${root}`);
	return join(root, versions[0], 'bin');
}

const exec = promisify(execFile);

/**
 * Creates and starts the cluster; `restartImmediate` and `stop` are asynchronous so that the
 * clients of a fault script keep running while the server goes down and comes back.
 * @param {number} port
 * @returns {Promise<{ url: string, restartImmediate: () => Promise<void>, stop: () => Promise<void> }>}
 */
export async function privatePostgres(port) {
	const bin = binDir();
	const dir = mkdtempSync(join(tmpdir(), 'civic-voice-pg-'));
	const asRoot = userInfo().uid === 0;
	/** @param {string} tool @param {string[]} args */
	const run = async (tool, args) => {
		await exec(
			asRoot ? 'runuser' : join(bin, tool),
			asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args,
			{ timeout: 120_000 }
		);
	};
	if (asRoot) {
		const ids = execFileSync('id', ['-u', 'postgres']).toString().trim();
		const gid = execFileSync('id', ['-g', 'postgres']).toString().trim();
		chownSync(dir, Number(ids), Number(gid));
	}
	const data = join(dir, 'data');
	await run('initdb', [
		'-D',
		data,
		'-A',
		'trust',
		'-U',
		'postgres',
		'-E',
		'UTF8',
		'--no-instructions'
	]);
	// Durable as in production: fsync and synchronous commit stay on (the defaults, stated).
	const options = [
		`-p ${port}`,
		"-c listen_addresses='127.0.0.1'",
		`-c unix_socket_directories='${dir}'`,
		'-c fsync=on',
		'-c synchronous_commit=on',
		'-c max_connections=100'
	].join(' ');
	const start = () =>
		run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', 'start']);
	await start();
	return {
		url: `postgres://postgres@127.0.0.1:${port}/postgres`,
		/** A crash: no checkpoint, every backend killed; the next start replays the WAL. */
		restartImmediate: async () => {
			await run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
			await start();
		},
		stop: async () => {
			try {
				await run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		}
	};
}
