import { sql } from 'kysely';
import type { Db } from '../db';
import { textSearch } from './search';

/** Accepted questions are public: waiting for their answer, or answered. */
const PUBLIC_STATUSES = ['assigned', 'answered'] as const;

export const PAGE_SIZE = 20;
/** A similar question holds more than this share of the words typed on the ask form. */
const SIMILAR_SHARE = 0.3;

export type ListFilter = {
	q: string;
	topic: string | null;
	unitId: number | null;
	agencyId: number | null;
	state: 'answered' | 'waiting' | null;
	sort: 'recent' | 'answered' | 'relevance';
	page: number;
};

/**
 * One page of public questions matching the filter, and how many match in all. The words searched
 * for match without accents and with their synonyms; a text holding more of them ranks first.
 */
export async function listQuestions(db: Db, f: ListFilter) {
	const search = await textSearch(db, f.q);
	let base = db
		.selectFrom('question as q')
		.innerJoin('question_topic as t', 't.code', 'q.topic_code')
		.innerJoin('admin_unit as u', 'u.id', 'q.unit_id')
		.leftJoin('agency as a', 'a.id', 'q.agency_id')
		.where('q.status', 'in', PUBLIC_STATUSES);
	if (search) base = base.where(search.matches('q.search'));
	if (f.topic) base = base.where('q.topic_code', '=', f.topic);
	if (f.unitId) base = base.where('q.unit_id', '=', f.unitId);
	if (f.agencyId) base = base.where('q.agency_id', '=', f.agencyId);
	if (f.state === 'answered') base = base.where('q.status', '=', 'answered');
	if (f.state === 'waiting') base = base.where('q.status', '=', 'assigned');

	const sort = f.sort === 'relevance' && !search ? 'recent' : f.sort;
	const [rows, total] = await Promise.all([
		base
			.select([
				'q.code',
				'q.public_title as title',
				'q.status',
				'q.accepted_at as acceptedAt',
				'q.answered_at as answeredAt',
				't.name_vi as topicVi',
				't.name_en as topicEn',
				'u.name as unit',
				'a.name_vi as agencyVi',
				'a.name_en as agencyEn'
			])
			.$call((qb) =>
				sort === 'relevance' && search
					? qb.orderBy(search.rank('q.search'), 'desc').orderBy('q.accepted_at', 'desc')
					: sort === 'answered'
						? qb.orderBy(sql`q.answered_at desc nulls last`)
						: qb.orderBy('q.accepted_at', 'desc')
			)
			.orderBy('q.id', 'desc')
			.limit(PAGE_SIZE)
			.offset((f.page - 1) * PAGE_SIZE)
			.execute(),
		base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
	]);
	return { rows, total: Number(total.n) };
}

/**
 * Answered questions most like what the citizen is typing, best first: the list's search and
 * ranking, over more of the words (a title and a body), of which about a third must be found.
 */
export async function similarAnswers(db: Db, text: string, limit = 5) {
	const search = await textSearch(db, text, {
		share: SIMILAR_SHARE,
		partial: 'share',
		maxGroups: 24
	});
	if (!search) return [];
	return db
		.selectFrom('question as q')
		.select(['q.code', 'q.public_title as title'])
		.where('q.status', '=', 'answered')
		.where(search.matches('q.search'))
		.orderBy(search.rank('q.search'), 'desc')
		.orderBy('q.answered_at', 'desc')
		.limit(limit)
		.execute();
}

/** A public question's page: the question as published, its published replies, its rating. */
export async function publicQuestion(db: Db, code: string) {
	const q = await db
		.selectFrom('question as q')
		.innerJoin('question_topic as t', 't.code', 'q.topic_code')
		.innerJoin('admin_unit as u', 'u.id', 'q.unit_id')
		.leftJoin('agency as a', 'a.id', 'q.agency_id')
		.select([
			'q.id',
			'q.code',
			'q.public_title as title',
			'q.public_body as body',
			'q.status',
			'q.received_at as receivedAt',
			'q.accepted_at as acceptedAt',
			'q.answered_at as answeredAt',
			'q.rating',
			't.name_vi as topicVi',
			't.name_en as topicEn',
			'u.name as unit',
			'a.name_vi as agencyVi',
			'a.name_en as agencyEn'
		])
		.where('q.code', '=', code)
		.where('q.status', 'in', PUBLIC_STATUSES)
		.executeTakeFirst();
	if (!q) return undefined;
	return { ...q, replies: await publishedReplies(db, q.id) };
}

/** The published replies of a question, each with its agency and how long it took. */
export async function publishedReplies(db: Db, questionId: number) {
	return db
		.selectFrom('question_reply as r')
		.innerJoin('agency as a', 'a.id', 'r.agency_id')
		.innerJoin('question_assignment as s', 's.id', 'r.assignment_id')
		.select([
			'r.id',
			'r.body_md as bodyMd',
			'r.published_at as publishedAt',
			'a.name_vi as agencyVi',
			'a.name_en as agencyEn',
			's.assigned_at as assignedAt',
			's.due_on as dueOn',
			's.on_time as onTime'
		])
		.where('r.question_id', '=', questionId)
		.where('r.status', '=', 'published')
		.orderBy('r.published_at')
		.execute();
}

/** The newest published answers, for the Atom feed. */
export async function recentAnswers(db: Db, limit = 30) {
	return db
		.selectFrom('question_reply as r')
		.innerJoin('question as q', 'q.id', 'r.question_id')
		.innerJoin('agency as a', 'a.id', 'r.agency_id')
		.select([
			'r.id',
			'r.body_md as bodyMd',
			'r.published_at as publishedAt',
			'q.code',
			'q.public_title as title',
			'q.public_body as body',
			'a.name_vi as agencyVi'
		])
		.where('r.status', '=', 'published')
		.where('q.status', 'in', PUBLIC_STATUSES)
		.orderBy('r.published_at', 'desc')
		.limit(limit)
		.execute();
}

/** Every public question's code and when its page last changed, newest first (for the sitemap). */
export async function publicQuestionDates(db: Db, limit: number) {
	return db
		.selectFrom('question')
		.select([
			'code',
			// greatest() skips nulls: the acceptance, the answer or the asker's rating
			sql<Date>`greatest(accepted_at, answered_at, rated_at)`.as('changedAt')
		])
		.where('status', 'in', PUBLIC_STATUSES)
		.orderBy('changedAt', 'desc')
		.orderBy('id', 'desc')
		.limit(limit)
		.execute();
}
