import { createServer } from 'node:net';
import { startPgCluster, type PgCluster } from '../../scripts/lib/pg-cluster.js';

/** Ports nothing listens on now (the operating system's choice, so two runs do not collide). */
async function freePorts(count: number): Promise<number[]> {
	const servers = await Promise.all(
		Array.from(
			{ length: count },
			() =>
				new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
					const server = createServer();
					server.once('error', reject);
					server.listen(0, '127.0.0.1', () => resolve(server));
				})
		)
	);
	const ports = servers.map((s) => (s.address() as { port: number }).port);
	await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
	return ports;
}

/**
 * A throwaway PostgreSQL primary, its streaming replica and pgbouncer in transaction mode in
 * front of the primary (scripts/lib/pg-cluster.js), for the tests that need the real pieces.
 * Needs Debian's postgresql and pgbouncer packages (.ci/run installs them).
 */
export async function startTestCluster(poolSize?: number): Promise<PgCluster> {
	const [port, replicaPort, bouncerPort] = await freePorts(3);
	return startPgCluster({
		port: port!,
		replicaPort: replicaPort!,
		bouncerPort: bouncerPort!,
		poolSize
	});
}
