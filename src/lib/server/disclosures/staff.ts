import { sql } from 'kysely';
import type { Staff } from '$lib/auth/access';
import { PAGE_SIZE, pageOffset } from '$lib/lists';
import { searchTerms, tsQuery } from '$lib/questions/search';
import type { Db } from '../db';
import { refuse } from './messages';
import { disclosureRights, maySeeDisclosure } from './permissions';
import { versionFingerprint } from './publish';

export const STAFF_STATUSES = ['draft', 'submitted', 'published', 'withdrawn'] as const;

/** What narrows the staff list of disclosures; it only narrows the viewer's agencies' items. */
export type StaffDisclosureFilter = {
	q?: string;
	type?: string | null;
	unitId?: number | null;
	/** the item withdrawn, or else what its newest version is: a draft, submitted, published */
	status?: (typeof STAFF_STATUSES)[number] | null;
	page?: number;
};

/**
 * The disclosures of the staff member's agencies, drafts included, newest first: one page of
 * those matching the filter, and how many match.
 */
export async function agencyDisclosures(
	db: Db,
	agencyIds: readonly number[],
	f: StaffDisclosureFilter = {},
	size = PAGE_SIZE
) {
	if (agencyIds.length === 0) return { rows: [], total: 0 };
	const query = tsQuery(searchTerms(f.q ?? ''), 'all');
	const words = (f.q ?? '').trim().toLowerCase();
	const base = db
		.selectFrom('disclosure as d')
		.innerJoin('disclosure_type as t', 't.code', 'd.type_code')
		.innerJoin('admin_unit as u', 'u.id', 'd.unit_id')
		.innerJoin('disclosure_version as v', (join) =>
			join.onRef('v.disclosure_id', '=', 'd.id').on((eb) =>
				eb(
					'v.number',
					'=',
					eb
						.selectFrom('disclosure_version as w')
						.select((e) => e.fn.max('w.number').as('n'))
						.whereRef('w.disclosure_id', '=', 'd.id')
				)
			)
		)
		.where('d.agency_id', 'in', [...agencyIds])
		.$if(query !== null, (qb) =>
			// published text is indexed folded; a draft's title is matched as typed
			qb.where((eb) =>
				eb.or([
					sql<boolean>`d.search @@ to_tsquery('simple', ${query})`,
					sql<boolean>`strpos(lower(v.title), ${words}) > 0`
				])
			)
		)
		.$if(!!f.type, (qb) => qb.where('d.type_code', '=', f.type!))
		.$if(!!f.unitId, (qb) => qb.where('d.unit_id', '=', f.unitId!))
		.$call((qb) => {
			if (!f.status) return qb;
			if (f.status === 'withdrawn') return qb.where('d.status', '=', 'withdrawn');
			const versions =
				f.status === 'published' ? (['published', 'superseded'] as const) : [f.status];
			return qb.where('d.status', '<>', 'withdrawn').where('v.status', 'in', versions);
		});
	const [rows, total] = await Promise.all([
		base
			.select([
				'd.id',
				'd.status',
				'd.period',
				't.name_vi as typeVi',
				't.name_en as typeEn',
				'u.name as unit',
				'v.title',
				'v.number',
				'v.status as versionStatus',
				'd.updated_at as updatedAt'
			])
			.orderBy('d.updated_at', 'desc')
			.orderBy('d.id', 'desc')
			.limit(size)
			.offset(pageOffset(f.page ?? 1, size))
			.execute(),
		base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
	]);
	return { rows, total: Number(total.n) };
}

/** Everything the agency's staff see of one disclosure; 403 (a refusal) for others. */
export async function staffDisclosure(db: Db, staff: Staff, id: number) {
	const d = await db
		.selectFrom('disclosure as d')
		.innerJoin('disclosure_type as t', 't.code', 'd.type_code')
		.innerJoin('admin_unit as u', 'u.id', 'd.unit_id')
		.innerJoin('agency as a', 'a.id', 'd.agency_id')
		.select([
			'd.id',
			'd.status',
			'd.period',
			'd.agency_id as agencyId',
			'd.withdrawn_reason as withdrawnReason',
			't.name_vi as typeVi',
			't.name_en as typeEn',
			'u.name as unit',
			'a.name_vi as agencyVi',
			'a.name_en as agencyEn'
		])
		.where('d.id', '=', id)
		.executeTakeFirst();
	if (!d) throw refuse('not_found');
	if (!maySeeDisclosure(staff, d.agencyId)) throw refuse('forbidden');
	const rights = disclosureRights(staff, d.agencyId);
	const versions = await db
		.selectFrom('disclosure_version as v')
		.innerJoin('app_user as u', 'u.id', 'v.author_id')
		.leftJoin('app_user as p', 'p.id', 'v.approved_by')
		.select([
			'v.id',
			'v.number',
			'v.status',
			'v.title',
			'v.summary',
			'v.body_md as bodyMd',
			'v.effective_on as effectiveOn',
			'v.change_note as changeNote',
			'v.author_id as authorId',
			'u.display_name as author',
			'p.display_name as approver',
			'v.published_at as publishedAt',
			// the viewer wrote or changed it, so may not approve it
			(eb) =>
				eb
					.exists(
						eb
							.selectFrom('disclosure_version_contributor as c')
							.select('c.user_id')
							.whereRef('c.version_id', '=', 'v.id')
							.where('c.user_id', '=', staff.id)
					)
					.as('byViewer')
		])
		.where('v.disclosure_id', '=', id)
		.orderBy('v.number', 'desc')
		.execute();
	const files = await db
		.selectFrom('disclosure_file as f')
		.innerJoin('stored_file as s', 's.sha256', 'f.sha256')
		.select(['f.id', 'f.version_id as versionId', 'f.name', 'f.sha256', 's.size'])
		.where(
			'f.version_id',
			'in',
			versions.map((v) => v.id)
		)
		.orderBy('f.id')
		.execute();
	return {
		...d,
		rights,
		versions: await Promise.all(
			versions.map(async (v) => ({
				...v,
				effectiveOn: String(v.effectiveOn).slice(0, 10),
				files: files.filter((f) => f.versionId === v.id),
				// what an approver reviews is what they approve: it goes in the approval form
				fingerprint: v.status === 'submitted' ? await versionFingerprint(db, v.id) : null
			}))
		)
	};
}
