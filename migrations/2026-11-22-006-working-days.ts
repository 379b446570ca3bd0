import { sql, type Kysely } from 'kysely';

// Legal deadlines count working days. Saturdays and Sundays are off unless a row here says a
// Saturday is worked in exchange; a weekday is a working day unless a row marks it off (a public
// holiday, a Tết day, a compensatory day off). Admins keep the table up to date as the
// Government announces each year's days off; the rows below are those announced for 2026 (and
// the fixed-date holidays of the Labour Code 2019, Art. 112).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('calendar_day')
		.addColumn('day', 'date', (c) => c.primaryKey())
		.addColumn('working', 'boolean', (c) => c.notNull())
		.addColumn('reason_vi', 'text', (c) => c.notNull())
		.addColumn('reason_en', 'text', (c) => c.notNull())
		.execute();
	// How many working days each kind of case has, and on what basis.
	await db.schema
		.createTable('deadline_rule')
		.addColumn('code', 'text', (c) => c.primaryKey())
		.addColumn('working_days', 'integer', (c) =>
			c.notNull().check(sql`working_days between 1 and 365`)
		)
		.addColumn('basis_vi', 'text', (c) => c.notNull())
		.addColumn('basis_en', 'text', (c) => c.notNull())
		.execute();

	const off = (day: string, vi: string, en: string) => ({
		day,
		working: false,
		reason_vi: vi,
		reason_en: en
	});
	const tet = ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20'];
	await db
		.insertInto('calendar_day')
		.values([
			off('2026-01-01', 'Tết Dương lịch', 'New Year’s Day'),
			...tet.map((d) => off(d, 'Tết Nguyên đán Bính Ngọ', 'Lunar New Year (Tết)')),
			off(
				'2026-04-27',
				'Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch trùng Chủ nhật 26/4)',
				'Day off in lieu of Hùng Kings’ Commemoration (Sunday 26 April)'
			),
			off('2026-04-30', 'Ngày Chiến thắng', 'Reunification Day'),
			off('2026-05-01', 'Ngày Quốc tế Lao động', 'International Labour Day'),
			off('2026-09-02', 'Quốc khánh', 'National Day')
		])
		.execute();
	await db
		.insertInto('deadline_rule')
		.values([
			{
				code: 'question',
				working_days: 5,
				basis_vi: 'Thời hạn trả lời câu hỏi trên cổng (mặc định, có thể điều chỉnh)',
				basis_en: 'Time to answer a question on the portal (default, adjustable)'
			},
			{
				code: 'information_simple',
				working_days: 5,
				basis_vi: 'Luật Tiếp cận thông tin 2016: thông tin đơn giản, có sẵn',
				basis_en: 'Law on Access to Information 2016: simple, available information'
			},
			{
				code: 'information_notify',
				working_days: 3,
				basis_vi: 'Luật Tiếp cận thông tin 2016: thông báo thời hạn cung cấp thông tin phức tạp',
				basis_en:
					'Law on Access to Information 2016: notice of the time needed for complex information'
			},
			{
				code: 'information_complex',
				working_days: 15,
				basis_vi: 'Luật Tiếp cận thông tin 2016: cung cấp thông tin phức tạp',
				basis_en: 'Law on Access to Information 2016: providing complex information'
			}
		])
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('deadline_rule').execute();
	await db.schema.dropTable('calendar_day').execute();
}
