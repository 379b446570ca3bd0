import { sql } from 'kysely';
import { vietnamDate } from '$lib/deadlines/working-days';
import type { Db } from '../db';
import { replyFingerprint, type Staff } from './cases';
import { caseRights } from './permissions';
import { refuseCase } from './refusals';
import { timeline } from './events';
import { filesOf, staffFileScope } from './files';
import { PAGE_SIZE, pageOffset } from '$lib/lists';
import { searchTerms, tsQuery } from '$lib/questions/search';

export type QueueView = 'moderation' | 'agency' | 'open';
export const QUEUE_SORTS = ['oldest', 'newest', 'deadline'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

/** What narrows a work list; each filter only narrows the view the viewer may see. */
export type QueueFilter = {
	q?: string;
	agencyId?: number | null;
	topic?: string | null;
	unitId?: number | null;
	overdue?: boolean;
	sort?: QueueSort;
	page?: number;
};

/** The questions of a work list: awaiting moderation, every open one, or the viewer's agencies'. */
function queueBase(
	db: Db,
	view: QueueView,
	agencyIds: readonly number[],
	f: QueueFilter,
	today: string
) {
	const query = tsQuery(searchTerms(f.q ?? ''), 'all');
	const code = (f.q ?? '').trim().toUpperCase();
	return db
		.selectFrom('question as q')
		.innerJoin('question_topic as t', 't.code', 'q.topic_code')
		.innerJoin('admin_unit as u', 'u.id', 'q.unit_id')
		.leftJoin('agency as a', 'a.id', 'q.agency_id')
		.$call((qb) => {
			if (view === 'moderation') return qb.where('q.status', 'in', ['pending', 'needs_info']);
			if (view === 'open') return qb.where('q.status', 'in', ['pending', 'needs_info', 'assigned']);
			if (agencyIds.length === 0) return qb.where(sql<boolean>`false`);
			return qb.where('q.status', '=', 'assigned').where('q.agency_id', 'in', [...agencyIds]);
		})
		.$if(query !== null, (qb) =>
			// a case's code, or the words of its title and text (folded like the public search)
			qb.where((eb) =>
				eb.or([eb('q.code', '=', code), sql<boolean>`q.search @@ to_tsquery('simple', ${query})`])
			)
		)
		.$if(!!f.agencyId, (qb) => qb.where('q.agency_id', '=', f.agencyId!))
		.$if(!!f.topic, (qb) => qb.where('q.topic_code', '=', f.topic!))
		.$if(!!f.unitId, (qb) => qb.where('q.unit_id', '=', f.unitId!))
		.$if(!!f.overdue, (qb) => qb.where(sql<boolean>`q.due_on < ${today}::date`));
}

/**
 * The staff's work list: questions awaiting moderation, those of the viewer's agencies, or
 * every open one (moderators), narrowed by the filter; one page of it and how many match.
 * Oldest first by default (first come, first served), or newest first, or by due date.
 */
export async function queuePage(
	db: Db,
	view: QueueView,
	agencyIds: readonly number[],
	f: QueueFilter = {},
	now = new Date(),
	size = PAGE_SIZE
) {
	const today = vietnamDate(now);
	const base = queueBase(db, view, agencyIds, f, today);
	const [rows, total] = await Promise.all([
		base
			.leftJoin('question_reply as r', (join) =>
				join
					.onRef('r.question_id', '=', 'q.id')
					.on('r.status', '<>', 'published')
					.onRef('r.agency_id', '=', 'q.agency_id')
			)
			.select([
				'q.id',
				'q.code',
				'q.title',
				'q.status',
				'q.received_at as receivedAt',
				'q.due_on as dueOn',
				'q.paused_since as pausedSince',
				't.name_vi as topicVi',
				't.name_en as topicEn',
				'u.name as unit',
				'a.name_vi as agencyVi',
				'a.name_en as agencyEn',
				'r.status as replyStatus'
			])
			.$call((qb) => {
				if (f.sort === 'newest') return qb.orderBy('q.received_at', 'desc').orderBy('q.id', 'desc');
				if (f.sort === 'deadline')
					return qb
						.orderBy(sql`q.due_on asc nulls last`)
						.orderBy('q.received_at')
						.orderBy('q.id');
				return qb.orderBy('q.received_at').orderBy('q.id');
			})
			.limit(size)
			.offset(pageOffset(f.page ?? 1, size))
			.execute(),
		base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
	]);
	return {
		rows: rows.map((r) => ({
			...r,
			dueOn: r.dueOn ? String(r.dueOn).slice(0, 10) : null,
			overdue: r.dueOn !== null && today > String(r.dueOn).slice(0, 10)
		})),
		total: Number(total.n)
	};
}

/** The first 500 cases of a work list, by due date. */
export async function caseQueue(
	db: Db,
	view: QueueView,
	agencyIds: readonly number[],
	now = new Date()
) {
	const { rows } = await queuePage(db, view, agencyIds, { sort: 'deadline' }, now, 500);
	return rows;
}

/** Everything the handling staff see of a case; refused forbidden for anyone else. */
export async function staffCase(db: Db, staff: Staff, id: number) {
	const q = await db.selectFrom('question').selectAll().where('id', '=', id).executeTakeFirst();
	if (!q) throw refuseCase('not_found');
	const rights = caseRights(staff, q.agency_id);
	if (!rights.see) throw refuseCase('forbidden');
	const [contact, files, replies, events, topic, unit, agency, mergedInto] = await Promise.all([
		db
			.selectFrom('question_contact')
			.select(['name', 'email', 'phone', 'purge_after as purgeAfter'])
			.where('question_id', '=', id)
			.executeTakeFirst(),
		filesOf(db, id, staffFileScope(rights, q.agency_id)),
		db
			.selectFrom('question_reply as r')
			.innerJoin('agency as a', 'a.id', 'r.agency_id')
			.innerJoin('app_user as u', 'u.id', 'r.author_id')
			.leftJoin('app_user as v', 'v.id', 'r.approved_by')
			.select([
				'r.id',
				'r.body_md as bodyMd',
				'r.status',
				'r.agency_id as agencyId',
				'r.author_id as authorId',
				'r.updated_at as updatedAt',
				'r.published_at as publishedAt',
				'a.name_vi as agencyVi',
				'a.name_en as agencyEn',
				'u.display_name as author',
				'v.display_name as approver',
				// the viewer wrote or changed it, so may not approve it
				(eb) =>
					eb
						.exists(
							eb
								.selectFrom('question_reply_contributor as c')
								.select('c.user_id')
								.whereRef('c.reply_id', '=', 'r.id')
								.where('c.user_id', '=', staff.id)
						)
						.as('byViewer')
			])
			.where('r.question_id', '=', id)
			// an agency's unpublished draft is its own business
			.where((eb) =>
				eb.or([
					eb('r.status', '=', 'published'),
					eb('r.agency_id', '=', q.agency_id ?? -1).and(eb.lit(rights.draft || rights.approve))
				])
			)
			.orderBy('r.id')
			.execute(),
		timeline(db, id, true),
		db
			.selectFrom('question_topic')
			.select(['name_vi', 'name_en'])
			.where('code', '=', q.topic_code)
			.executeTakeFirstOrThrow(),
		db
			.selectFrom('admin_unit')
			.select('name')
			.where('id', '=', q.unit_id)
			.executeTakeFirstOrThrow(),
		q.agency_id
			? db
					.selectFrom('agency')
					.select(['name_vi', 'name_en'])
					.where('id', '=', q.agency_id)
					.executeTakeFirst()
			: undefined,
		q.merged_into_id
			? db
					.selectFrom('question')
					.select('code')
					.where('id', '=', q.merged_into_id)
					.executeTakeFirst()
			: undefined
	]);
	// what an approver reviews is what they approve: the submitted reply's fingerprint goes in the form
	const withFingerprints = await Promise.all(
		replies.map(async (r) => ({
			...r,
			fingerprint: r.status === 'submitted' ? await replyFingerprint(db, r.id) : null
		}))
	);
	return {
		q,
		rights,
		contact,
		files,
		replies: withFingerprints,
		events,
		topic,
		unit: unit.name,
		agency,
		mergedInto
	};
}

/** The numbers on an agency's dashboard: open, overdue, waiting for approval. */
export async function agencyWorkload(db: Db, agencyIds: readonly number[], now = new Date()) {
	if (agencyIds.length === 0) return [];
	const today = vietnamDate(now);
	const rows = await db
		.selectFrom('question as q')
		.innerJoin('agency as a', 'a.id', 'q.agency_id')
		.select([
			'a.id',
			'a.name_vi as nameVi',
			'a.name_en as nameEn',
			(eb) => eb.fn.countAll<number>().as('open'),
			(eb) => eb.fn.count<number>('q.id').filterWhere('q.due_on', '<', today).as('overdue'),
			(eb) =>
				eb.fn
					.count<number>('q.id')
					.filterWhere(
						eb.exists(
							eb
								.selectFrom('question_reply as r')
								.select('r.id')
								.whereRef('r.question_id', '=', 'q.id')
								.where('r.status', '=', 'submitted')
						)
					)
					.as('awaitingApproval')
		])
		.where('q.status', '=', 'assigned')
		.where('q.agency_id', 'in', [...agencyIds])
		.groupBy(['a.id', 'a.name_vi', 'a.name_en'])
		.execute();
	return rows.map((r) => ({
		...r,
		open: Number(r.open),
		overdue: Number(r.overdue),
		awaitingApproval: Number(r.awaitingApproval)
	}));
}

/** The agency handling a question (for access checks), or undefined when there is none. */
export async function caseAgency(db: Db, id: number) {
	return db
		.selectFrom('question')
		.select(['id', 'agency_id as agencyId'])
		.where('id', '=', id)
		.executeTakeFirst();
}
