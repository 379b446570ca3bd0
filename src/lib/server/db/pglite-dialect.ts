import type { PGlite } from '@electric-sql/pglite';
import {
	CompiledQuery,
	PostgresAdapter,
	PostgresIntrospector,
	PostgresQueryCompiler,
	type DatabaseConnection,
	type Dialect,
	type Driver,
	type Kysely,
	type QueryResult
} from 'kysely';

/**
 * Kysely dialect for PGlite. PGlite has a single connection, so the driver hands it to one
 * Kysely connection (or transaction) at a time and queues the rest.
 * Replace with `PGliteDialect` from kysely once the project moves to Node 22 and Kysely 0.29.
 */
export class PGliteDialect implements Dialect {
	constructor(private readonly pglite: PGlite) {}
	createAdapter() {
		return new PostgresAdapter();
	}
	createDriver(): Driver {
		return new PGliteDriver(this.pglite);
	}
	createIntrospector(db: Kysely<unknown>) {
		return new PostgresIntrospector(db);
	}
	createQueryCompiler() {
		return new PostgresQueryCompiler();
	}
}

class PGliteDriver implements Driver {
	private queue: Promise<void> = Promise.resolve();
	private readonly connection: PGliteConnection;
	private readonly releases = new WeakMap<DatabaseConnection, () => void>();

	constructor(private readonly pglite: PGlite) {
		this.connection = new PGliteConnection(pglite);
	}

	async init() {
		await this.pglite.waitReady;
	}

	async acquireConnection(): Promise<DatabaseConnection> {
		let release!: () => void;
		const previous = this.queue;
		this.queue = new Promise((resolve) => (release = resolve));
		await previous;
		this.releases.set(this.connection, release);
		return this.connection;
	}

	async beginTransaction(connection: DatabaseConnection) {
		await connection.executeQuery(CompiledQuery.raw('begin'));
	}
	async commitTransaction(connection: DatabaseConnection) {
		await connection.executeQuery(CompiledQuery.raw('commit'));
	}
	async rollbackTransaction(connection: DatabaseConnection) {
		await connection.executeQuery(CompiledQuery.raw('rollback'));
	}

	async releaseConnection(connection: DatabaseConnection) {
		this.releases.get(connection)?.();
	}

	async destroy() {
		await this.queue;
		if (!this.pglite.closed) await this.pglite.close();
	}
}

class PGliteConnection implements DatabaseConnection {
	constructor(private readonly pglite: PGlite) {}

	async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
		const result = await this.pglite.query<R>(compiled.sql, [...compiled.parameters], {
			rowMode: 'object'
		});
		const affected = result.affectedRows;
		return {
			rows: result.rows,
			...(affected !== undefined && { numAffectedRows: BigInt(affected) })
		};
	}

	// eslint-disable-next-line require-yield
	async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
		throw new Error('PGlite dialect: streaming queries are not supported');
	}
}
