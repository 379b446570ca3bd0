import type { Db } from '../db';

/** Records stored files (content-addressed: the same bytes are one row, whoever uploads them). */
export async function rememberFiles(
	trx: Db,
	files: readonly { sha256: string; size: number; mime: string }[]
): Promise<void> {
	if (files.length === 0) return;
	await trx
		.insertInto('stored_file')
		.values(files.map((f) => ({ sha256: f.sha256, size: f.size, mime: f.mime })))
		.onConflict((oc) => oc.column('sha256').doNothing())
		.execute();
}
