import { foldVietnamese } from '$lib/questions/search';
import type { DossierRecord, RecordProblem } from '$lib/dossiers/records';
import { audit } from '../audit';
import type { Db } from '../db';
import { dossierCodeHash } from './codes';
import { saveContacts } from './contacts';

/** Who brings a batch in: an official or admin on the page, or an agency's API token. */
export type ImportBy = {
	agencyId: number;
	source: 'csv' | 'api';
	userId: string | null;
	tokenId: number | null;
};

export type ImportOutcome = { created: number; updated: number; importId: number | null };

/** Records that cannot be imported, every problem with its line; nothing was written. */
export class ImportRefused extends Error {
	constructor(readonly problems: RecordProblem[]) {
		super('dossier import refused');
		this.name = 'ImportRefused';
	}
}

const CHUNK = 500;

function chunks<T>(list: readonly T[]): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
	return out;
}

/**
 * What a batch would do: which codes are new and which update a dossier of this agency. A code
 * that belongs to another agency, or an agency column naming another agency, is a problem: an
 * agency never overwrites another's dossiers.
 */
async function plan(db: Db, agencyId: number, records: readonly DossierRecord[]) {
	const agency = await db
		.selectFrom('agency')
		.select(['slug', 'name_vi', 'name_en'])
		.where('id', '=', agencyId)
		.executeTakeFirstOrThrow();
	const names = new Set([foldVietnamese(agency.name_vi), foldVietnamese(agency.name_en)]);
	const problems: RecordProblem[] = [];
	for (const r of records) {
		if (r.agency && r.agency !== agency.slug && !names.has(foldVietnamese(r.agency)))
			problems.push({ line: r.line, code: 'agency_other', value: r.agency });
	}
	const hashes = records.map((r) => dossierCodeHash(r.code));
	const owner = new Map<string, number>();
	for (const part of chunks(hashes)) {
		const rows = await db
			.selectFrom('dossier')
			.select(['code_hash', 'agency_id'])
			.where('code_hash', 'in', part)
			.execute();
		for (const row of rows) owner.set(row.code_hash, row.agency_id);
	}
	let updated = 0;
	records.forEach((r, i) => {
		const found = owner.get(hashes[i]!);
		if (found === undefined) return;
		if (found === agencyId) updated++;
		else problems.push({ line: r.line, code: 'code_other_agency' });
	});
	return { hashes, problems, created: records.length - updated, updated };
}

/**
 * Imports a batch of dossier records for one agency, or with `dryRun` only says what it would do.
 * Idempotent: a code already imported updates its dossier (the rating flag stays), never a second
 * one; the applicant's contact, when the records carry one, is kept as `saveContacts` says.
 * All or nothing: any problem refuses the batch (ImportRefused) and nothing is written.
 */
export async function importDossiers(
	db: Db,
	by: ImportBy,
	records: readonly DossierRecord[],
	dryRun = false
): Promise<ImportOutcome> {
	if (dryRun) {
		const p = await plan(db, by.agencyId, records);
		if (p.problems.length) throw new ImportRefused(p.problems);
		return { created: p.created, updated: p.updated, importId: null };
	}
	return db.transaction().execute(async (trx) => {
		// one import at a time per agency, so two batches never both count a code as new
		await trx.selectFrom('agency').select('id').where('id', '=', by.agencyId).forUpdate().execute();
		const p = await plan(trx, by.agencyId, records);
		if (p.problems.length) throw new ImportRefused(p.problems);
		const batch = await trx
			.insertInto('dossier_import')
			.values({
				agency_id: by.agencyId,
				source: by.source,
				user_id: by.userId,
				token_id: by.tokenId,
				created: p.created,
				updated: p.updated
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const rows = records.map((r, i) => ({
			code_hash: p.hashes[i]!,
			agency_id: by.agencyId,
			procedure: r.procedure,
			field: r.field,
			received_on: r.receivedOn,
			due_on: r.dueOn,
			completed_on: r.completedOn,
			channel: r.channel,
			returned_count: r.returnedCount,
			handler: r.handler,
			handling_unit: r.handlingUnit,
			import_id: batch.id
		}));
		const idOf = new Map<string, number>();
		for (const part of chunks(rows)) {
			const written = await trx
				.insertInto('dossier')
				.values(part)
				.onConflict((oc) =>
					oc
						.column('code_hash')
						.doUpdateSet((eb) => ({
							procedure: eb.ref('excluded.procedure'),
							field: eb.ref('excluded.field'),
							received_on: eb.ref('excluded.received_on'),
							due_on: eb.ref('excluded.due_on'),
							completed_on: eb.ref('excluded.completed_on'),
							channel: eb.ref('excluded.channel'),
							returned_count: eb.ref('excluded.returned_count'),
							handler: eb.ref('excluded.handler'),
							handling_unit: eb.ref('excluded.handling_unit'),
							import_id: eb.ref('excluded.import_id')
						}))
						.where('dossier.agency_id', '=', by.agencyId)
				)
				.returning(['id', 'code_hash'])
				.execute();
			for (const w of written) idOf.set(w.code_hash, w.id);
		}
		await saveContacts(
			trx,
			records,
			p.hashes.map((h) => idOf.get(h)!)
		);
		await audit(trx, {
			actorId: by.userId,
			action: 'dossier.import',
			entityType: 'agency',
			entityId: by.agencyId,
			details: { source: by.source, created: p.created, updated: p.updated, import: batch.id }
		});
		return { created: p.created, updated: p.updated, importId: batch.id };
	});
}

/** The agency's last imports, newest first, for the import page. */
export async function recentImports(db: Db, agencyIds: number[] | 'all', limit = 10) {
	if (agencyIds !== 'all' && agencyIds.length === 0) return [];
	return db
		.selectFrom('dossier_import as i')
		.innerJoin('agency as a', 'a.id', 'i.agency_id')
		.select([
			'i.id',
			'i.source',
			'i.created',
			'i.updated',
			'i.imported_at',
			'a.name_vi',
			'a.name_en'
		])
		.$if(agencyIds !== 'all', (qb) => qb.where('i.agency_id', 'in', agencyIds as number[]))
		.orderBy('i.id', 'desc')
		.limit(limit)
		.execute();
}
