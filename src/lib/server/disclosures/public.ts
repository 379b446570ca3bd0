import { vietnamDate } from '$lib/deadlines/working-days';
import type { Db } from '../db';
import { textSearch } from '../questions/search';

export const PAGE_SIZE = 20;

export type DisclosureFilter = {
	q: string;
	type: string | null;
	unitId: number | null;
	period: string | null;
	page: number;
};

/**
 * What the public may see: published or withdrawn items (a withdrawal stays listed), except
 * those with personal data whose display period has ended.
 */
function publicItems(db: Db, now: Date) {
	const today = vietnamDate(now);
	return db
		.selectFrom('disclosure as d')
		.innerJoin('disclosure_type as t', 't.code', 'd.type_code')
		.innerJoin('admin_unit as u', 'u.id', 'd.unit_id')
		.innerJoin('agency as a', 'a.id', 'd.agency_id')
		.where('d.status', 'in', ['published', 'withdrawn'])
		.where((eb) => eb.or([eb('d.hide_after', 'is', null), eb('d.hide_after', '>=', today)]));
}

/** The version the public reads: the published one, or the last one published before withdrawal. */
const currentVersion = (db: Db) =>
	db
		.selectFrom('disclosure_version')
		.select(['disclosure_id', (eb) => eb.fn.max('number').as('number')])
		.where('published_at', 'is not', null)
		.groupBy('disclosure_id')
		.as('cur');

export async function listDisclosures(db: Db, f: DisclosureFilter, now = new Date()) {
	// the questions' search: without accents, with the synonym list
	const search = await textSearch(db, f.q);
	let base = publicItems(db, now)
		.innerJoin(currentVersion(db), 'cur.disclosure_id', 'd.id')
		.innerJoin('disclosure_version as v', (join) =>
			join.onRef('v.disclosure_id', '=', 'd.id').onRef('v.number', '=', 'cur.number')
		);
	if (search) base = base.where(search.matches('d.search'));
	if (f.type) base = base.where('d.type_code', '=', f.type);
	if (f.unitId) base = base.where('d.unit_id', '=', f.unitId);
	if (f.period) base = base.where('d.period', 'like', `${f.period}%`);
	const [rows, total] = await Promise.all([
		base
			.select([
				'd.id',
				'd.status',
				'd.period',
				'd.first_published_at as publishedAt',
				'v.title',
				'v.summary',
				'v.number as version',
				'v.published_at as updatedAt',
				't.code as typeCode',
				't.name_vi as typeVi',
				't.name_en as typeEn',
				'u.name as unit',
				'a.name_vi as agencyVi',
				'a.name_en as agencyEn'
			])
			// with words searched, the items holding more of them first; else the newest first
			.$if(!!search, (qb) => qb.orderBy(search!.rank('d.search'), 'desc'))
			.orderBy('v.published_at', 'desc')
			.orderBy('d.id', 'desc')
			.limit(PAGE_SIZE)
			.offset((f.page - 1) * PAGE_SIZE)
			.execute(),
		base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
	]);
	return { rows, total: Number(total.n) };
}

export type PublicFile = {
	id: number;
	name: string;
	sha256: string;
	size: number;
	mime: string;
	table: string | null;
};

/** An item's page: what it is, every published version with its files, and why it was withdrawn. */
export async function publicDisclosure(db: Db, id: number, now = new Date()) {
	const d = await publicItems(db, now)
		.select([
			'd.id',
			'd.status',
			'd.period',
			'd.unit_id as unitId',
			'd.agency_id as agencyId',
			'd.first_published_at as publishedAt',
			'd.withdrawn_at as withdrawnAt',
			'd.withdrawn_reason as withdrawnReason',
			'd.hide_after as hideAfter',
			't.code as typeCode',
			't.name_vi as typeVi',
			't.name_en as typeEn',
			't.basis_vi as basisVi',
			't.basis_en as basisEn',
			't.personal_data as personalData',
			'u.name as unit',
			'a.name_vi as agencyVi',
			'a.name_en as agencyEn'
		])
		.where('d.id', '=', id)
		.executeTakeFirst();
	if (!d) return undefined;
	const versions = await db
		.selectFrom('disclosure_version')
		.select([
			'id',
			'number',
			'title',
			'summary',
			'body_md as bodyMd',
			'effective_on as effectiveOn',
			'change_note as changeNote',
			'published_at as publishedAt'
		])
		.where('disclosure_id', '=', id)
		.where('published_at', 'is not', null)
		.orderBy('number', 'desc')
		.execute();
	const files = versions.length
		? await db
				.selectFrom('disclosure_file as f')
				.innerJoin('stored_file as s', 's.sha256', 'f.sha256')
				.select([
					'f.id',
					'f.version_id as versionId',
					'f.name',
					'f.sha256',
					's.size',
					's.mime',
					'f.table_json as table'
				])
				.where(
					'f.version_id',
					'in',
					versions.map((v) => v.id)
				)
				.orderBy('f.id')
				.execute()
		: [];
	return {
		...d,
		versions: versions.map((v) => ({
			...v,
			effectiveOn: String(v.effectiveOn).slice(0, 10),
			files: files.filter((f) => f.versionId === v.id) as (PublicFile & { versionId: number })[]
		}))
	};
}

/** One file of a published version, for download; undefined when not public. */
export async function publicFile(db: Db, disclosureId: number, fileId: number, now = new Date()) {
	return publicItems(db, now)
		.innerJoin('disclosure_version as v', 'v.disclosure_id', 'd.id')
		.innerJoin('disclosure_file as f', 'f.version_id', 'v.id')
		.innerJoin('stored_file as s', 's.sha256', 'f.sha256')
		.select(['f.name', 'f.sha256', 's.mime', 'f.table_json as table'])
		.where('d.id', '=', disclosureId)
		.where('f.id', '=', fileId)
		.where('v.published_at', 'is not', null)
		.executeTakeFirst();
}

export async function disclosureTypes(db: Db) {
	return db.selectFrom('disclosure_type').selectAll().orderBy('position').execute();
}

/**
 * Published items that search engines may index (not withdrawn, no personal data) and when their
 * current version was published, newest first (for the sitemap).
 */
export async function indexableDisclosureDates(db: Db, limit: number, now = new Date()) {
	return publicItems(db, now)
		.innerJoin(currentVersion(db), 'cur.disclosure_id', 'd.id')
		.innerJoin('disclosure_version as v', (join) =>
			join.onRef('v.disclosure_id', '=', 'd.id').onRef('v.number', '=', 'cur.number')
		)
		.select(['d.id', 'v.published_at as changedAt'])
		.where('d.status', '=', 'published')
		.where('t.personal_data', '=', false)
		.orderBy('v.published_at', 'desc')
		.orderBy('d.id', 'desc')
		.limit(limit)
		.execute();
}
