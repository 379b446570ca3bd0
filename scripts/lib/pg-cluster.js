// A PostgreSQL primary, a streaming replica of it and pgbouncer in transaction mode in front of
// the primary, all in one temporary folder on loopback: what a province runs on several machines,
// for the cluster test and the database tests of the pooler and the replica. Debian's packages
// (postgresql, pgbouncer); as root both run as the `postgres` user.
import { spawn } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { asRoot, initCluster, runTool, serverFolder } from './private-postgres.js';

export const PGBOUNCER = process.env.PGBOUNCER_PATH || '/usr/sbin/pgbouncer';
/** The database the cluster creates; pgbouncer also forwards any other database name. */
export const DATABASE = 'civic';

/**
 * @typedef {{
 *   dir: string,
 *   primaryUrl: string,
 *   replicaUrl: string,
 *   bouncerUrl: string,
 *   urlOf: (base: string, database: string) => string,
 *   stopReplica: () => Promise<void>,
 *   startReplica: () => Promise<void>,
 *   replicaLagBytes: () => Promise<number>,
 *   stop: () => Promise<void>
 * }} PgCluster
 */

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until `url` answers a query, up to `ms`.
 * @param {string} url @param {number} ms @param {() => string} [why] what to show on failure
 */
export async function waitForDatabase(url, ms = 60_000, why = () => '') {
	const deadline = Date.now() + ms;
	for (;;) {
		const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
		try {
			await client.connect();
			await client.query('select 1');
			return;
		} catch (e) {
			if (Date.now() > deadline)
				throw new Error(`${url} did not answer within ${ms / 1000} s: ${String(e)}\n${why()}`, {
					cause: e
				});
		} finally {
			await client.end().catch(() => {});
		}
		await sleep(200);
	}
}

/** One query on a short-lived connection. @param {string} url @param {string} text */
export async function queryOnce(url, text) {
	const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
	await client.connect();
	try {
		return (await client.query(text)).rows;
	} finally {
		await client.end();
	}
}

/**
 * Starts the three servers; `stop` ends them and removes the folder.
 * @param {{ port: number, replicaPort: number, bouncerPort: number, poolSize?: number }} ports
 * @returns {Promise<PgCluster>}
 */
export async function startPgCluster({ port, replicaPort, bouncerPort, poolSize = 20 }) {
	if (!existsSync(PGBOUNCER))
		throw new Error(
			`pgbouncer not found at ${PGBOUNCER}: install Debian's package (apt-get install -y pgbouncer; .ci/run does) or set PGBOUNCER_PATH`
		);
	const dir = serverFolder('civic-voice-cluster-');
	const primary = join(dir, 'primary');
	const replica = join(dir, 'replica');
	/** @type {import('node:child_process').ChildProcess | undefined} */
	let bouncer;
	let bouncerLog = '';
	const urlOf = (/** @type {string} */ base, /** @type {string} */ database) =>
		`${base.replace(/\/[^/]*$/, '')}/${database}`;
	const primaryUrl = `postgres://postgres@127.0.0.1:${port}/${DATABASE}`;
	const replicaUrl = `postgres://postgres@127.0.0.1:${replicaPort}/${DATABASE}`;
	const bouncerUrl = `postgres://postgres@127.0.0.1:${bouncerPort}/${DATABASE}`;

	/** @param {string} data @param {number} p */
	const serverOptions = (data, p) =>
		[
			`-p ${p}`,
			"-c listen_addresses='127.0.0.1'",
			`-c unix_socket_directories='${dir}'`,
			'-c max_connections=100',
			'-c wal_level=replica',
			'-c max_wal_senders=10',
			'-c hot_standby=on'
		].join(' ');
	/** @param {string} data @param {number} p @param {string} name */
	const startServer = (data, p, name) =>
		runTool('pg_ctl', [
			'-D',
			data,
			'-l',
			join(dir, `${name}.log`),
			'-o',
			serverOptions(data, p),
			'-w',
			'-t',
			'120',
			'start'
		]);
	/** @param {string} data */
	const stopServer = (data) => runTool('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);

	const stop = async () => {
		if (bouncer && bouncer.exitCode === null) {
			const ended = new Promise((r) => bouncer?.once('exit', r));
			bouncer.kill('SIGTERM');
			await Promise.race([ended, sleep(10_000)]);
		}
		for (const data of [replica, primary])
			if (existsSync(join(data, 'postmaster.pid'))) await stopServer(data).catch(() => {});
		rmSync(dir, { recursive: true, force: true });
	};

	try {
		await initCluster(primary);
		await startServer(primary, port, 'primary');
		await queryOnce(urlOf(primaryUrl, 'postgres'), `create database ${DATABASE}`);

		await runTool('pg_basebackup', [
			'-h',
			'127.0.0.1',
			'-p',
			String(port),
			'-U',
			'postgres',
			'-D',
			replica,
			'-R',
			'-X',
			'stream',
			'-c',
			'fast'
		]);
		await startServer(replica, replicaPort, 'replica');

		writeFileSync(join(dir, 'userlist.txt'), '"postgres" ""\n');
		writeFileSync(
			join(dir, 'pgbouncer.ini'),
			`[databases]
* = host=127.0.0.1 port=${port}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${bouncerPort}
unix_socket_dir =
auth_type = trust
auth_file = ${join(dir, 'userlist.txt')}
pool_mode = transaction
default_pool_size = ${poolSize}
max_client_conn = 1000
ignore_startup_parameters = extra_float_digits,options
server_reset_query =
logfile = ${join(dir, 'pgbouncer.log')}
`
		);
		if (asRoot) {
			const { execFileSync } = await import('node:child_process');
			execFileSync('chown', [
				'postgres:postgres',
				join(dir, 'pgbouncer.ini'),
				join(dir, 'userlist.txt')
			]);
		}
		bouncer = spawn(
			asRoot ? 'runuser' : PGBOUNCER,
			asRoot
				? ['-u', 'postgres', '--', PGBOUNCER, join(dir, 'pgbouncer.ini')]
				: [join(dir, 'pgbouncer.ini')],
			{ stdio: ['ignore', 'pipe', 'pipe'] }
		);
		bouncer.stdout?.on('data', (d) => (bouncerLog += d));
		bouncer.stderr?.on('data', (d) => (bouncerLog += d));
		await waitForDatabase(bouncerUrl, 30_000, () => `pgbouncer:\n${bouncerLog}`);
		await waitForDatabase(replicaUrl, 60_000);
	} catch (e) {
		await stop();
		throw e;
	}

	return {
		dir,
		primaryUrl,
		replicaUrl,
		bouncerUrl,
		urlOf,
		stopReplica: () => stopServer(replica),
		startReplica: async () => {
			await startServer(replica, replicaPort, 'replica');
			await waitForDatabase(replicaUrl, 60_000);
		},
		/** How far the replica's replay is behind the primary's WAL, in bytes. */
		replicaLagBytes: async () => {
			const [{ lsn }] = await queryOnce(primaryUrl, 'select pg_current_wal_lsn()::text as lsn');
			const [{ lag }] = await queryOnce(
				replicaUrl,
				`select pg_wal_lsn_diff('${lsn}', pg_last_wal_replay_lsn())::float8 as lag`
			);
			return Math.max(0, Number(lag));
		},
		stop
	};
}
