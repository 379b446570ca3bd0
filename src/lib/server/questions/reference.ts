import type { Db } from '../db';
import type { Choice } from '../reference';

/** The topics (lĩnh vực) a question can be filed under, in their order. */
export async function topics(db: Db): Promise<Choice[]> {
	const rows = await db
		.selectFrom('question_topic')
		.select(['code', 'name_vi', 'name_en'])
		.orderBy('position')
		.execute();
	return rows.map((r) => ({ value: r.code, vi: r.name_vi, en: r.name_en }));
}
