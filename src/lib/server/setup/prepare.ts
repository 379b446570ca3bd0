import { ensureAdminUnits } from '../../../../seeds/admin-units';
import { ensureDemoData } from '../../../../seeds/demo';
import { ensureInstruments } from '../../../../seeds/instruments';
import type { Db } from '../db';
import { migrateToLatest } from '../db/migrate';
import { ensureAdmin, hasActiveAdmin } from '../auth/users';

export type PrepareOptions = {
	seedDemo: boolean;
	bootstrapAdmin?: { email: string; password: string } | undefined;
};
export type PrepareReport = {
	migrations: string[];
	adminUnitsLoaded: boolean;
	instrumentsCreated: string[];
	demoSeeded: boolean;
	adminCreated: boolean;
	/** no account can administer the portal: nobody can sign in to create the others */
	noAdmin: boolean;
};

/** Brings any database, new or old, to the state the code expects. Safe to run at every start. */
export async function prepareDatabase(db: Db, options: PrepareOptions): Promise<PrepareReport> {
	const migrations = await migrateToLatest(db);
	const adminUnitsLoaded = await ensureAdminUnits(db);
	const instrumentsCreated = await ensureInstruments(db);
	const demoSeeded = options.seedDemo ? await ensureDemoData(db) : false;
	const adminCreated = options.bootstrapAdmin
		? await ensureAdmin(db, options.bootstrapAdmin.email, options.bootstrapAdmin.password)
		: false;
	const noAdmin = !(await hasActiveAdmin(db));
	return { migrations, adminUnitsLoaded, instrumentsCreated, demoSeeded, adminCreated, noAdmin };
}
