import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Db } from './index';

// import.meta.glob is resolved by Vite, so the migrations are bundled into the server build and
// found the same way by `vite dev`, `node build`, vitest and scripts/db.js.
const modules = import.meta.glob<Migration>('/migrations/*.ts', { eager: true });

export const migrationProvider: MigrationProvider = {
	async getMigrations() {
		return Object.fromEntries(
			Object.entries(modules).map(([path, module]) => [
				path.replace(/^.*\//, '').replace(/\.ts$/, ''),
				module
			])
		);
	}
};

function check(result: MigrationResultSet): string[] {
	if (result.error) {
		const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
		throw new Error(`Migration ${failed ?? ''} failed: ${String(result.error)}`, {
			cause: result.error
		});
	}
	return (result.results ?? []).map((r) => r.migrationName);
}

/** Applies every pending migration; returns the names applied. */
export async function migrateToLatest(db: Db): Promise<string[]> {
	return check(await new Migrator({ db, provider: migrationProvider }).migrateToLatest());
}

/** The names of every migration this code carries, oldest first. */
export async function knownMigrations(): Promise<string[]> {
	return Object.keys(await migrationProvider.getMigrations()).sort();
}
