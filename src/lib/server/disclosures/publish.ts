import { addDays, vietnamDate } from '$lib/deadlines/working-days';
import type { Staff } from '$lib/auth/access';
import { isPeriodFor } from '$lib/disclosures/schedule';
import { foldVietnamese } from '$lib/questions/search';
import { audit } from '../audit';
import { announce } from '../cache/invalidation';
import { inTransaction, type Db } from '../db';
import { rememberFiles } from '../files/records';
import { notifyDisclosureSubmitted } from '../notify/staff';
import { isServedArea } from './area';
import { refuse } from './messages';
import { disclosureRights, type DisclosureRights } from './permissions';
import { reviewFingerprint } from '../review/fingerprint';
import { sql } from 'kysely';

export type StoredUpload = {
	sha256: string;
	name: string;
	size: number;
	mime: string;
	tableJson: string | null;
};

export type VersionText = {
	title: string;
	summary: string;
	bodyMd: string;
	effectiveOn: string;
	changeNote?: string | null;
};

async function attach(trx: Db, versionId: number, files: readonly StoredUpload[]) {
	if (files.length === 0) return;
	await rememberFiles(trx, files);
	await trx
		.insertInto('disclosure_file')
		.values(
			files.map((f) => ({
				version_id: versionId,
				sha256: f.sha256,
				name: f.name,
				table_json: f.tableJson
			}))
		)
		.execute();
}

/** Records that `userId` wrote or changed the version: they may not approve it (four eyes). */
async function addContributor(trx: Db, versionId: number, userId: string) {
	await trx
		.insertInto('disclosure_version_contributor')
		.values({ version_id: versionId, user_id: userId })
		.onConflict((oc) => oc.columns(['version_id', 'user_id']).doNothing())
		.execute();
}

/** what changes the public's view of an item; drafts, returns and corrections do not until published */
const PUBLIC_ACTIONS = new Set(['publish', 'withdraw']);

async function record(trx: Db, staff: Staff, action: string, id: number, details = {}) {
	if (PUBLIC_ACTIONS.has(action)) await announce(trx, { topic: 'disclosures', id });
	await audit(trx, {
		actorId: staff.id,
		action: `disclosure.${action}`,
		entityType: 'disclosure',
		entityId: id,
		details
	});
	await trx
		.updateTable('disclosure')
		.set({ updated_at: new Date() })
		.where('id', '=', id)
		.execute();
}

export type NewDisclosure = VersionText & {
	typeCode: string;
	unitId: number;
	agencyId: number;
	period: string | null;
	files: readonly StoredUpload[];
};

/** An official starts a disclosure for their agency: version 1, a draft. */
export async function createDisclosure(db: Db, staff: Staff, input: NewDisclosure) {
	if (!disclosureRights(staff, input.agencyId).draft) throw refuse('forbidden');
	return inTransaction(db, async (trx) => {
		const type = await trx
			.selectFrom('disclosure_type')
			.select(['frequency'])
			.where('code', '=', input.typeCode)
			.executeTakeFirst();
		if (!type) throw refuse('bad_choice', 'type');
		// only an area the agency serves, in force, in the deployment's province
		if (!(await isServedArea(trx, input.agencyId, input.unitId))) throw refuse('area', 'unit');
		if (!isPeriodFor(type.frequency, input.period)) throw refuse('period', 'period');
		const { id } = await trx
			.insertInto('disclosure')
			.values({
				type_code: input.typeCode,
				unit_id: input.unitId,
				agency_id: input.agencyId,
				period: input.period,
				status: 'draft'
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const version = await trx
			.insertInto('disclosure_version')
			.values({
				disclosure_id: id,
				number: 1,
				status: 'draft',
				title: input.title,
				summary: input.summary,
				body_md: input.bodyMd,
				effective_on: input.effectiveOn,
				author_id: staff.id
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await addContributor(trx, version.id, staff.id);
		await attach(trx, version.id, input.files);
		await record(trx, staff, 'create', id);
		return id;
	});
}

async function lockDisclosure(trx: Db, staff: Staff, id: number, need: keyof DisclosureRights) {
	const d = await trx
		.selectFrom('disclosure')
		.selectAll()
		.where('id', '=', id)
		.forUpdate()
		.executeTakeFirst();
	if (!d) throw refuse('not_found');
	if (!disclosureRights(staff, d.agency_id)[need]) throw refuse('forbidden');
	return d;
}

async function openVersion(trx: Db, disclosureId: number) {
	const v = await trx
		.selectFrom('disclosure_version')
		.selectAll()
		.where('disclosure_id', '=', disclosureId)
		.where('status', 'in', ['draft', 'submitted'])
		.executeTakeFirst();
	if (!v) throw refuse('state');
	return v;
}

/**
 * Saves the open version's text and new files; `submit` hands it to an approver, and any other
 * save of a submitted version takes it back to draft. The saver is one of its contributors.
 */
export async function saveVersion(
	db: Db,
	staff: Staff,
	id: number,
	text: VersionText,
	files: readonly StoredUpload[],
	submit: boolean
) {
	await inTransaction(db, async (trx) => {
		const d = await lockDisclosure(trx, staff, id, 'draft');
		const v = await openVersion(trx, id);
		await trx
			.updateTable('disclosure_version')
			.set({
				title: text.title,
				summary: text.summary,
				body_md: text.bodyMd,
				effective_on: text.effectiveOn,
				change_note: text.changeNote ?? v.change_note,
				status: submit ? 'submitted' : 'draft',
				author_id: staff.id,
				updated_at: new Date()
			})
			.where('id', '=', v.id)
			.execute();
		await addContributor(trx, v.id, staff.id);
		await attach(trx, v.id, files);
		await record(trx, staff, submit ? 'submit' : 'save', id, { version: v.number });
		if (submit) await notifyDisclosureSubmitted(trx, d, v.id);
	});
}

/**
 * Removing a file changes the version: a submitted one goes back to draft, to be submitted
 * again, and the remover is one of its contributors.
 */
export async function removeFile(db: Db, staff: Staff, id: number, fileId: number) {
	await inTransaction(db, async (trx) => {
		await lockDisclosure(trx, staff, id, 'draft');
		const v = await openVersion(trx, id);
		const removed = await trx
			.deleteFrom('disclosure_file')
			.where('id', '=', fileId)
			.where('version_id', '=', v.id)
			.returning('id')
			.executeTakeFirst();
		// nothing of this version: nothing changed
		if (!removed) return;
		await trx
			.updateTable('disclosure_version')
			.set({ status: 'draft', updated_at: new Date() })
			.where('id', '=', v.id)
			.execute();
		await addContributor(trx, v.id, staff.id);
		await record(trx, staff, 'remove_file', id, { version: v.number, fileId });
	});
}

/** The fingerprint of a version's text and files, as an approver reviews them. */
export async function versionFingerprint(db: Db, versionId: number): Promise<string> {
	const [v, files] = await Promise.all([
		db
			.selectFrom('disclosure_version')
			.select([
				'title',
				'summary',
				'body_md',
				'change_note',
				sql<string>`effective_on::text`.as('on')
			])
			.where('id', '=', versionId)
			.executeTakeFirstOrThrow(),
		db
			.selectFrom('disclosure_file')
			.select(['id', 'sha256', 'name'])
			.where('version_id', '=', versionId)
			.orderBy('id')
			.execute()
	]);
	return reviewFingerprint([
		v.title,
		v.summary,
		v.body_md,
		v.change_note,
		v.on,
		files.map((f) => [f.id, f.sha256, f.name])
	]);
}

/**
 * An approver publishes the submitted version, never one they wrote or changed, text or files
 * (four eyes: checked against every contributor, in this transaction), and only as they were
 * shown it (`seen`, see versionFingerprint; the staff page always sends it); the version before
 * it is superseded and stays in the public history.
 */
export async function approveVersion(
	db: Db,
	staff: Staff,
	id: number,
	now = new Date(),
	seen?: string
) {
	await inTransaction(db, async (trx) => {
		const d = await lockDisclosure(trx, staff, id, 'approve');
		const v = await openVersion(trx, id);
		if (v.status !== 'submitted') throw refuse('state');
		const contributed = await trx
			.selectFrom('disclosure_version_contributor')
			.select('user_id')
			.where('version_id', '=', v.id)
			.where('user_id', '=', staff.id)
			.executeTakeFirst();
		if (contributed || v.author_id === staff.id) throw refuse('own_draft');
		if (seen !== undefined && seen !== (await versionFingerprint(trx, v.id)))
			throw refuse('changed');
		// an item drafted for an area the agency does not serve (before that was checked, or since
		// the unit left force) is not published
		if (!(await isServedArea(trx, d.agency_id, d.unit_id))) throw refuse('area');
		await trx
			.updateTable('disclosure_version')
			.set({ status: 'superseded' })
			.where('disclosure_id', '=', id)
			.where('status', '=', 'published')
			.execute();
		await trx
			.updateTable('disclosure_version')
			.set({ status: 'published', approved_by: staff.id, published_at: now, updated_at: now })
			.where('id', '=', v.id)
			.execute();
		const type = await trx
			.selectFrom('disclosure_type')
			.select(['display_days', 'name_vi'])
			.where('code', '=', d.type_code)
			.executeTakeFirstOrThrow();
		const firstPublished = d.first_published_at ?? now;
		await trx
			.updateTable('disclosure')
			.set({
				status: 'published',
				first_published_at: firstPublished,
				hide_after: type.display_days
					? addDays(vietnamDate(firstPublished), type.display_days)
					: null,
				search_folded: foldVietnamese(`${type.name_vi} ${v.title} ${v.summary} ${v.body_md}`)
			})
			.where('id', '=', id)
			.execute();
		await record(trx, staff, 'publish', id, { version: v.number });
	});
}

/** The approver sends the submitted version back to be changed. */
export async function returnVersion(db: Db, staff: Staff, id: number) {
	await inTransaction(db, async (trx) => {
		await lockDisclosure(trx, staff, id, 'approve');
		const v = await openVersion(trx, id);
		if (v.status !== 'submitted') throw refuse('state');
		await trx
			.updateTable('disclosure_version')
			.set({ status: 'draft' })
			.where('id', '=', v.id)
			.execute();
		await record(trx, staff, 'return', id, { version: v.number });
	});
}

/** A correction: the next version starts as a copy of the published one, files included. */
export async function startCorrection(db: Db, staff: Staff, id: number, changeNote: string) {
	await inTransaction(db, async (trx) => {
		const d = await lockDisclosure(trx, staff, id, 'draft');
		if (d.status !== 'published') throw refuse('state');
		const open = await trx
			.selectFrom('disclosure_version')
			.select('id')
			.where('disclosure_id', '=', id)
			.where('status', 'in', ['draft', 'submitted'])
			.executeTakeFirst();
		if (open) throw refuse('state');
		const current = await trx
			.selectFrom('disclosure_version')
			.selectAll()
			.where('disclosure_id', '=', id)
			.where('status', '=', 'published')
			.executeTakeFirstOrThrow();
		const next = await trx
			.insertInto('disclosure_version')
			.values({
				disclosure_id: id,
				number: current.number + 1,
				status: 'draft',
				title: current.title,
				summary: current.summary,
				body_md: current.body_md,
				effective_on: String(current.effective_on).slice(0, 10),
				change_note: changeNote,
				author_id: staff.id
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await trx
			.insertInto('disclosure_file')
			.columns(['version_id', 'sha256', 'name', 'table_json'])
			.expression((eb) =>
				eb
					.selectFrom('disclosure_file')
					.select([eb.val(next.id).as('version_id'), 'sha256', 'name', 'table_json'])
					.where('version_id', '=', current.id)
					.orderBy('id')
			)
			.execute();
		// the copied text and files are the earlier writers' as much as the corrector's
		await trx
			.insertInto('disclosure_version_contributor')
			.columns(['version_id', 'user_id'])
			.expression((eb) =>
				eb
					.selectFrom('disclosure_version_contributor')
					.select([eb.val(next.id).as('version_id'), 'user_id'])
					.where('version_id', '=', current.id)
			)
			.execute();
		await addContributor(trx, next.id, staff.id);
		await record(trx, staff, 'correct', id, { version: current.number + 1 });
	});
}

/** Withdrawal needs a reason; the item stays listed as withdrawn, with its history. */
export async function withdrawDisclosure(db: Db, staff: Staff, id: number, reason: string) {
	await inTransaction(db, async (trx) => {
		const d = await lockDisclosure(trx, staff, id, 'approve');
		if (d.status !== 'published') throw refuse('state');
		await trx
			.updateTable('disclosure')
			.set({ status: 'withdrawn', withdrawn_at: new Date(), withdrawn_reason: reason })
			.where('id', '=', id)
			.execute();
		await trx
			.deleteFrom('disclosure_version')
			.where('disclosure_id', '=', id)
			.where('status', 'in', ['draft', 'submitted'])
			.execute();
		await record(trx, staff, 'withdraw', id);
	});
}
