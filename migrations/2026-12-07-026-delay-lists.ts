import { sql, type Kysely } from 'kysely';

// The monthly delay list (danh sách tổ chức, cá nhân gây chậm trễ): who handled each dossier (the
// handling official's name and unit, as the one-stop system exports them, both optional), a
// disclosure type of its own, and which disclosure holds the list of an agency's month, so that
// preparing the same month again makes a new version of that disclosure, never a second one.

const TYPE = {
	code: 'danh-sach-cham-tre-ho-so',
	name_vi: 'Danh sách tổ chức, cá nhân gây chậm trễ trong giải quyết hồ sơ',
	name_en: 'Units and officials who caused delays in handling dossiers',
	basis_vi:
		'Nghị định 61/2018/NĐ-CP (cơ chế một cửa, một cửa liên thông); Kế hoạch 150/KH-UBND tỉnh Tuyên Quang năm 2024, mục III.13 (công khai hằng tháng)',
	basis_en:
		'Decree 61/2018/ND-CP (one-stop mechanism); Tuyen Quang Plan 150/KH-UBND of 2024, item III.13 (published monthly)',
	unit_level: 'any',
	// one item per agency and month; the month is kept in delay_list, not in the period column,
	// whose schedule (yearly, quarterly) the compliance view reads
	frequency: 'on_change',
	due_from: null,
	due_days: null,
	display_days: null,
	personal_data: false
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('dossier').addColumn('handler', 'text').execute();
	await db.schema.alterTable('dossier').addColumn('handling_unit', 'text').execute();

	const { n } = await db
		.selectFrom('disclosure_type')
		.select(sql<number>`coalesce(max(position), 0)`.as('n'))
		.executeTakeFirstOrThrow();
	await db
		.insertInto('disclosure_type')
		.values({ ...TYPE, position: Number(n) + 1 })
		.onConflict((oc) => oc.column('code').doNothing())
		.execute();

	await db.schema
		.createTable('delay_list')
		.addColumn('agency_id', 'integer', (c) => c.notNull().references('agency.id'))
		// the first day of the month the dossiers became late
		.addColumn('month', 'date', (c) => c.notNull().check(sql`extract(day from month) = 1`))
		.addColumn('disclosure_id', 'integer', (c) =>
			c.notNull().unique().references('disclosure.id').onDelete('cascade')
		)
		.addPrimaryKeyConstraint('delay_list_pk', ['agency_id', 'month'])
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('delay_list').execute();
	await db.deleteFrom('disclosure_type').where('code', '=', TYPE.code).execute();
	await db.schema.alterTable('dossier').dropColumn('handling_unit').execute();
	await db.schema.alterTable('dossier').dropColumn('handler').execute();
}
