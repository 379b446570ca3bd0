import type { Staff } from '$lib/auth/access';
import { vietnamDate, type IsoDate } from '$lib/deadlines/working-days';
import { delayList, isClosedMonth, type DelayList } from '$lib/delays/list';
import { parseTable } from '$lib/disclosures/table';
import { formatDate } from '$lib/i18n/format';
import { inTransaction, type Db } from '../db';
import {
	createDisclosure,
	removeFile,
	saveVersion,
	startCorrection,
	type StoredUpload
} from '../disclosures/publish';
import { fileStoreIn, type FileStore } from '../files/store';
import { delayDocument } from './document';
import { lateDossiers } from './late-dossiers';
import { mayPrepareDelayList } from './permissions';
import { refuse } from './refusals';

/** The disclosure type the lists are published as (seeded by migration 026). */
export const DELAY_LIST_TYPE = 'danh-sach-cham-tre-ho-so';

/** The disclosure the list of an agency's month was prepared into, if any, and its state. */
export async function heldDisclosure(db: Db, agencyId: number, month: IsoDate) {
	return db
		.selectFrom('delay_list as l')
		.innerJoin('disclosure as d', 'd.id', 'l.disclosure_id')
		.select(['d.id', 'd.status'])
		.where('l.agency_id', '=', agencyId)
		.where('l.month', '=', month)
		.executeTakeFirst();
}

/** The list of an agency's month as it stands today, for the preview. */
export async function previewDelayList(
	db: Db,
	staff: Staff,
	agencyId: number,
	month: IsoDate,
	now = new Date()
): Promise<DelayList> {
	if (!mayPrepareDelayList(staff, agencyId)) throw refuse('forbidden');
	const today = vietnamDate(now);
	if (!isClosedMonth(month, today)) throw refuse('month', 'month');
	return delayList(month, await lateDossiers(db, agencyId, month, today), today);
}

export type Prepared = { disclosureId: number; list: DelayList; created: boolean };

/**
 * Prepares the delay list of an agency's closed month as a draft version of its disclosure: the
 * first time a new disclosure of the delay-list type for the agency's area, afterwards a new
 * version of the same one (its open draft rewritten, or a correction of the published list).
 * Nothing is public until an approver of the agency other than the preparer approves it.
 */
export async function prepareDelayList(
	db: Db,
	staff: Staff,
	agencyId: number,
	month: IsoDate,
	now = new Date(),
	store?: FileStore
): Promise<Prepared> {
	const list = await previewDelayList(db, staff, agencyId, month, now);
	const today = vietnamDate(now);
	return inTransaction(db, async (trx) => {
		const agency = await trx
			.selectFrom('agency')
			.select(['name_vi', 'unit_id'])
			.where('id', '=', agencyId)
			.forUpdate()
			.executeTakeFirst();
		if (!agency) throw refuse('agency', 'agency');
		const doc = delayDocument(list, agency.name_vi, today);
		const files: StoredUpload[] = [];
		const table = list.total > 0 ? parseTable(doc.csv) : null;
		if (table && 'table' in table)
			files.push({
				sha256: await (store ?? fileStoreIn(trx)).put(doc.csv),
				name: doc.csvName,
				size: doc.csv.byteLength,
				mime: 'text/csv',
				tableJson: JSON.stringify(table.table)
			});
		const text = { title: doc.title, summary: doc.summary, bodyMd: doc.bodyMd, effectiveOn: today };
		const held = await heldDisclosure(trx, agencyId, month);
		if (!held) {
			const disclosureId = await createDisclosure(trx, staff, {
				...text,
				typeCode: DELAY_LIST_TYPE,
				unitId: agency.unit_id,
				agencyId,
				period: null,
				files
			});
			await trx
				.insertInto('delay_list')
				.values({ agency_id: agencyId, month, disclosure_id: disclosureId })
				.execute();
			return { disclosureId, list, created: true };
		}
		if (held.status === 'withdrawn') throw refuse('withdrawn');
		const open = () =>
			trx
				.selectFrom('disclosure_version')
				.select('id')
				.where('disclosure_id', '=', held.id)
				.where('status', 'in', ['draft', 'submitted'])
				.executeTakeFirst();
		if (!(await open()))
			await startCorrection(trx, staff, held.id, `Lập lại ngày ${formatDate(today)}.`);
		// the new table replaces the old one
		const version = (await open())!;
		const old = await trx
			.selectFrom('disclosure_file')
			.select('id')
			.where('version_id', '=', version.id)
			.execute();
		for (const f of old) await removeFile(trx, staff, held.id, f.id);
		await saveVersion(trx, staff, held.id, text, files, false);
		return { disclosureId: held.id, list, created: false };
	});
}
