/** pgbouncer's own port: a URL that names it leads to a pooler, not to PostgreSQL itself. */
const PGBOUNCER_PORT = '6432';

export type Connection = {
	/** the URL as pg should see it (without `pgbouncer=`, which pg does not understand) */
	connectionString: string;
	/**
	 * Whether named prepared statements may be used: they live on one server connection, which a
	 * pooler in transaction mode hands to other clients between transactions, so the next client
	 * to prepare the same name fails with `prepared statement "…" already exists`.
	 */
	prepared: boolean;
};

/**
 * Reads a PostgreSQL URL the way pgbouncer's users write it: `?pgbouncer=true` (or the port
 * 6432) says a pooler in transaction mode is in front, so no named prepared statements. An
 * explicit setting (DATABASE_PREPARED) wins either way, for a pooler on another port or one that
 * tracks prepared statements itself (pgbouncer 1.21+ with max_prepared_statements).
 */
export function connectionOf(databaseUrl: string, prepared?: boolean): Connection {
	let url: URL;
	try {
		url = new URL(databaseUrl);
	} catch {
		return { connectionString: databaseUrl, prepared: prepared ?? true };
	}
	const flag = url.searchParams.get('pgbouncer');
	url.searchParams.delete('pgbouncer');
	const pooled = (flag !== null && flag !== 'false' && flag !== '0') || url.port === PGBOUNCER_PORT;
	return {
		connectionString: flag === null ? databaseUrl : url.toString(),
		prepared: prepared ?? !pooled
	};
}
