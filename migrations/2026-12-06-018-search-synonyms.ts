import { sql, type Kysely } from 'kysely';

// Groups of terms that mean the same to the public search: what people say ("sổ đỏ") and what
// the texts say ("giấy chứng nhận quyền sử dụng đất"). Admins keep the list; a query that holds one
// term of a group also finds texts with any other. Terms are stored as typed (with diacritics) and
// folded when a search reads them, so the list stays readable. The starting list is seeded here,
// because every deployment needs it, demo data or not.

const STARTING_LIST: string[][] = [
	['sổ đỏ', 'sổ hồng', 'giấy chứng nhận quyền sử dụng đất', 'GCNQSDĐ'],
	['hộ khẩu', 'cư trú', 'thường trú'],
	['CCCD', 'căn cước công dân', 'thẻ căn cước', 'CMND', 'chứng minh nhân dân'],
	['UBND', 'ủy ban nhân dân'],
	['HĐND', 'hội đồng nhân dân'],
	['TTHC', 'thủ tục hành chính'],
	['một cửa', 'bộ phận tiếp nhận và trả kết quả'],
	['BHYT', 'bảo hiểm y tế'],
	['BHXH', 'bảo hiểm xã hội'],
	['GPXD', 'giấy phép xây dựng'],
	['lý lịch tư pháp', 'LLTP']
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('search_synonym')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('terms', 'jsonb', (c) =>
			c
				.notNull()
				.check(sql`jsonb_typeof(terms) = 'array' and jsonb_array_length(terms) between 2 and 12`)
		)
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db
		.insertInto('search_synonym')
		.values(STARTING_LIST.map((terms) => ({ terms: JSON.stringify(terms) })))
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('search_synonym').execute();
}
