import { join } from 'node:path';
import { config } from '../config';
import { closeDb, currentBackend, getDb } from '../db';
import { migrateToLatest } from '../db/migrate';
import { databaseFileStore } from './database-store';
import { checkFiles, moveFiles, reportOk, type FilesReport } from './migrate';
import { activeFileStore, fileStore, type FileStoreKind } from './store';

export const USAGE =
	'usage: npm run files:migrate -- --to database|filesystem   (copy every file, check every hash)\n' +
	'       npm run files:migrate -- --check                    (check the active store)';

const mb = (bytes: number) =>
	bytes < 1024 * 1024
		? `${(bytes / 1024).toFixed(1)} KB`
		: `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function print(report: FilesReport, action: string): void {
	for (const line of [...report.missing, ...report.differs].slice(0, 50))
		console.error(`  ${line}`);
	console.info(
		`files: ${report.recorded} recorded, ${report.looked} looked at; ` +
			`${action}; ${report.missing.length} missing, ${report.differs.length} with a wrong hash`
	);
}

/** Parses `--to database|filesystem` or `--check`; null when the arguments are neither. */
export function parseArguments(
	args: readonly string[]
): { to: FileStoreKind } | { check: true } | null {
	if (args.length === 1 && args[0] === '--check') return { check: true };
	const to = args[1];
	if (args.length === 2 && args[0] === '--to' && (to === 'database' || to === 'filesystem'))
		return { to };
	return null;
}

/**
 * Behind `npm run files:migrate` (scripts/files.js): moves files between DATA_DIR/files and the
 * database, or checks the active store (FILE_STORE). Exits non-zero when a recorded file is
 * missing or any hash differs.
 */
export async function run(args: readonly string[]): Promise<void> {
	const parsed = parseArguments(args);
	if (!parsed) {
		console.error(USAGE);
		process.exitCode = 2;
		return;
	}
	const settings = config();
	const folder = join(settings.dataDir, 'files');
	try {
		const db = await getDb();
		const applied = await migrateToLatest(db);
		if (applied.length) console.info(`migrate (${currentBackend()}): ${applied.join(', ')}`);
		const started = performance.now();
		let report: FilesReport;
		if ('check' in parsed) {
			console.info(
				`files: checking the ${settings.fileStore} store` +
					(settings.fileStore === 'filesystem' ? ` (${folder})` : ` (${currentBackend()})`)
			);
			report = await checkFiles(db, activeFileStore(db));
			print(report, `${report.present} sound (${mb(report.presentBytes)})`);
		} else {
			const stores = { filesystem: fileStore(folder), database: databaseFileStore(db) };
			const from = stores[parsed.to === 'database' ? 'filesystem' : 'database'];
			const to = stores[parsed.to];
			console.info(`files: from the ${from.kind} store to the ${to.kind} store (${folder})`);
			report = await moveFiles(db, from, to);
			print(
				report,
				`${report.copied} copied (${mb(report.copiedBytes)}), ` +
					`${report.present} already there (${mb(report.presentBytes)})`
			);
			if (reportOk(report) && settings.fileStore !== parsed.to)
				console.info(
					`files: the server uses the ${settings.fileStore} store; set FILE_STORE=${parsed.to} and restart it to use these copies`
				);
		}
		console.info(`files: done in ${Math.round(performance.now() - started)} ms`);
		if (!reportOk(report)) process.exitCode = 1;
	} finally {
		await closeDb();
	}
}
