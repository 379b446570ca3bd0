import type { Db } from '../db';
import { hashStream, readAll, sha256Of } from './content';
import type { FileStore } from './store';

/** What `moveFiles` and `checkFiles` found: counts, bytes, and each file that failed. */
export type FilesReport = {
	/** files the database's records name (stored_file) */
	recorded: number;
	/** files looked at: the recorded ones and any other the source store holds */
	looked: number;
	copied: number;
	copiedBytes: number;
	/** already in the target store (moving) or present and sound (checking), hash verified */
	present: number;
	presentBytes: number;
	/** recorded, but in neither store (moving) or not in the store (checking) */
	missing: string[];
	/** a file whose bytes do not hash to its name, with where */
	differs: string[];
};

const emptyReport = (recorded: number): FilesReport => ({
	recorded,
	looked: 0,
	copied: 0,
	copiedBytes: 0,
	present: 0,
	presentBytes: 0,
	missing: [],
	differs: []
});

export const reportOk = (r: FilesReport): boolean => !r.missing.length && !r.differs.length;

async function recordedFiles(db: Db): Promise<Map<string, number>> {
	const rows = await db.selectFrom('stored_file').select(['sha256', 'size']).execute();
	return new Map(rows.map((r) => [r.sha256, r.size]));
}

type Verdict = { size: number } | { missing: true } | { problem: string };

/**
 * Reads a stored file to its end: its size when sound, else absent, or bytes that do not hash to
 * its name (or are not of the recorded size).
 */
async function verify(
	store: FileStore,
	sha256: string,
	recordedSize: number | undefined
): Promise<Verdict> {
	const opened = await store.open(sha256);
	if (!opened) return { missing: true };
	const copy = `${sha256}: the ${store.kind} store's copy`;
	try {
		const read = await hashStream(opened.stream);
		if (read.sha256 !== sha256) return { problem: `${copy} has SHA-256 ${read.sha256}` };
		if (recordedSize !== undefined && read.size !== recordedSize)
			return { problem: `${copy} has ${read.size} bytes, the record says ${recordedSize}` };
		return { size: read.size };
	} catch (e) {
		return { problem: `${copy} cannot be read: ${e instanceof Error ? e.message : String(e)}` };
	}
}

/** Counts a verdict in `report`; `missing` says how to describe an absent file. */
function tally(report: FilesReport, verdict: Verdict, missing: string, moved: boolean): void {
	if ('problem' in verdict) report.differs.push(verdict.problem);
	else if ('missing' in verdict) report.missing.push(missing);
	else if (moved) {
		report.copied += 1;
		report.copiedBytes += verdict.size;
	} else {
		report.present += 1;
		report.presentBytes += verdict.size;
	}
}

/**
 * Copies every file the database records, and any other file `from` holds, into `to`, checking
 * the SHA-256 of the source before writing and of the copy by reading it back. A file already
 * in `to` is verified, not copied again, so a second run copies nothing. Nothing is deleted.
 */
export async function moveFiles(db: Db, from: FileStore, to: FileStore): Promise<FilesReport> {
	const recorded = await recordedFiles(db);
	const names = new Set(recorded.keys());
	for await (const sha256 of from.hashes()) names.add(sha256);
	const report = emptyReport(recorded.size);
	for (const sha256 of [...names].sort()) {
		report.looked += 1;
		const size = recorded.get(sha256);
		if (await to.has(sha256)) {
			tally(
				report,
				await verify(to, sha256, size),
				`${sha256}: gone from the ${to.kind} store`,
				false
			);
			continue;
		}
		const opened = await from.open(sha256);
		if (!opened) {
			report.missing.push(
				`${sha256}: recorded, but in neither the ${from.kind} nor the ${to.kind} store`
			);
			continue;
		}
		// A file is at most an upload's size (15 MB), so it is held whole between the two stores.
		const bytes = await readAll(opened.stream);
		const actual = sha256Of(bytes);
		if (actual !== sha256) {
			report.differs.push(
				`${sha256}: the ${from.kind} store's copy has SHA-256 ${actual}, not copied`
			);
			continue;
		}
		await to.put(bytes);
		tally(report, await verify(to, sha256, size), `${sha256}: not found after copying`, true);
	}
	return report;
}

/** Reads every file the database records from `store` and checks its SHA-256 and size. */
export async function checkFiles(db: Db, store: FileStore): Promise<FilesReport> {
	const recorded = await recordedFiles(db);
	const report = emptyReport(recorded.size);
	for (const [sha256, size] of [...recorded].sort(([a], [b]) => (a < b ? -1 : 1))) {
		report.looked += 1;
		tally(
			report,
			await verify(store, sha256, size),
			`${sha256}: not in the ${store.kind} store`,
			false
		);
	}
	return report;
}

/** Recorded files the database store lacks: files uploaded before it was chosen and not moved. */
export async function filesNotInDatabase(db: Db): Promise<number> {
	const row = await db
		.selectFrom('stored_file as s')
		.where(({ not, exists, selectFrom }) =>
			not(
				exists(
					selectFrom('file_blob as b').select('b.sha256').whereRef('b.sha256', '=', 's.sha256')
				)
			)
		)
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}
