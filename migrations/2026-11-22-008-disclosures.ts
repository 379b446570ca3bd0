import { sql, type Kysely } from 'kysely';

// Disclosures ("công khai"): what the law says a province or commune must publish. Types are
// reference data (admins add more); a disclosure is one item of a type for a unit and period,
// with numbered versions: a correction is a new version, the public sees the history, and a
// withdrawal keeps the item listed with its reason. Files reuse stored_file (content-addressed,
// SHA-256); a CSV file's table is parsed once at upload and kept as JSON. A type's unit level
// says which units must publish it (for the compliance view); an item may be for any unit.

type Type = {
	code: string;
	vi: string;
	en: string;
	basisVi: string;
	basisEn: string;
	level: 'province' | 'commune' | 'any';
	frequency: 'once' | 'yearly' | 'quarterly' | 'on_change';
	dueFrom?: 'start' | 'end';
	dueDays?: number;
	displayDays?: number;
	personal?: boolean;
};

const BUDGET_VI = 'Luật Ngân sách nhà nước 2015, Điều 15; Thông tư 343/2016/TT-BTC';
const BUDGET_EN = 'State Budget Law 2015, Art. 15; Circular 343/2016/TT-BTC';
const GRASSROOTS_VI = 'Luật Thực hiện dân chủ ở cơ sở 2022, Điều 11';
const GRASSROOTS_EN = 'Law on Grassroots Democracy 2022, Art. 11';
const ACCESS_VI = 'Luật Tiếp cận thông tin 2016, Điều 17';
const ACCESS_EN = 'Law on Access to Information 2016, Art. 17';

const TYPES: Type[] = [
	{
		code: 'du-toan-ngan-sach-xa',
		vi: 'Dự toán ngân sách xã',
		en: 'Commune budget estimate',
		basisVi: BUDGET_VI,
		basisEn: BUDGET_EN,
		level: 'commune',
		frequency: 'yearly',
		dueFrom: 'start',
		dueDays: 30
	},
	{
		code: 'thuc-hien-ngan-sach-xa-quy',
		vi: 'Tình hình thực hiện dự toán ngân sách xã hằng quý',
		en: 'Quarterly commune budget execution',
		basisVi: BUDGET_VI,
		basisEn: BUDGET_EN,
		level: 'commune',
		frequency: 'quarterly',
		dueFrom: 'end',
		dueDays: 15
	},
	{
		code: 'quyet-toan-ngan-sach-xa',
		vi: 'Quyết toán ngân sách xã',
		en: 'Commune budget final accounts',
		basisVi: BUDGET_VI,
		basisEn: BUDGET_EN,
		level: 'commune',
		frequency: 'yearly',
		dueFrom: 'end',
		dueDays: 210
	},
	{
		code: 'dong-gop-tu-nguyen',
		vi: 'Các khoản đóng góp của Nhân dân và kết quả sử dụng',
		en: 'Citizens’ contributions and how they were spent',
		basisVi: GRASSROOTS_VI,
		basisEn: GRASSROOTS_EN,
		level: 'commune',
		frequency: 'yearly',
		dueFrom: 'end',
		dueDays: 30
	},
	{
		code: 'danh-sach-ho-ngheo',
		vi: 'Danh sách hộ nghèo, hộ cận nghèo',
		en: 'Poor and near-poor household lists',
		basisVi: `${GRASSROOTS_VI}; Nghị định 07/2021/NĐ-CP`,
		basisEn: `${GRASSROOTS_EN}; Decree 07/2021/NĐ-CP`,
		level: 'commune',
		frequency: 'yearly',
		dueFrom: 'end',
		dueDays: 30,
		displayDays: 365,
		personal: true
	},
	{
		code: 'ke-hoach-su-dung-dat',
		vi: 'Quy hoạch, kế hoạch sử dụng đất',
		en: 'Land-use plans',
		basisVi: 'Luật Đất đai 2024, Điều 75',
		basisEn: 'Land Law 2024, Art. 75',
		level: 'province',
		frequency: 'yearly',
		dueFrom: 'start',
		dueDays: 30
	},
	{
		code: 'bang-gia-dat',
		vi: 'Bảng giá đất',
		en: 'Land price table',
		basisVi: 'Luật Đất đai 2024, Điều 159',
		basisEn: 'Land Law 2024, Art. 159',
		level: 'province',
		frequency: 'yearly',
		dueFrom: 'start',
		dueDays: 30
	},
	{
		code: 'boi-thuong-tai-dinh-cu',
		vi: 'Phương án bồi thường, hỗ trợ, tái định cư',
		en: 'Compensation, support and resettlement plans',
		basisVi: 'Luật Đất đai 2024, Điều 87',
		basisEn: 'Land Law 2024, Art. 87',
		level: 'any',
		frequency: 'on_change'
	},
	{
		code: 'du-an-dau-tu',
		vi: 'Kế hoạch đầu tư các dự án trên địa bàn',
		en: 'Local investment projects',
		basisVi: GRASSROOTS_VI,
		basisEn: GRASSROOTS_EN,
		level: 'any',
		frequency: 'on_change'
	},
	{
		code: 'thu-tuc-hanh-chinh-phi',
		vi: 'Thủ tục hành chính, phí và lệ phí',
		en: 'Administrative procedures, fees and charges',
		basisVi: 'Nghị định 63/2010/NĐ-CP; Luật Phí và lệ phí 2015',
		basisEn: 'Decree 63/2010/NĐ-CP; Law on Fees and Charges 2015',
		level: 'commune',
		frequency: 'once'
	},
	{
		code: 'ket-qua-tuyen-dung',
		vi: 'Kết quả tuyển dụng công chức, viên chức',
		en: 'Civil service recruitment results',
		basisVi: ACCESS_VI,
		basisEn: ACCESS_EN,
		level: 'any',
		frequency: 'on_change'
	},
	{
		code: 'ket-luan-thanh-tra',
		vi: 'Kết luận thanh tra, kết quả xử lý vụ việc tham nhũng',
		en: 'Inspection conclusions and corruption case outcomes',
		basisVi: `${ACCESS_VI}; Luật Phòng, chống tham nhũng 2018`,
		basisEn: `${ACCESS_EN}; Anti-Corruption Law 2018`,
		level: 'any',
		frequency: 'on_change'
	}
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('disclosure_type')
		.addColumn('code', 'text', (c) => c.primaryKey().check(sql`code ~ '^[a-z0-9-]{2,60}$'`))
		.addColumn('name_vi', 'text', (c) => c.notNull())
		.addColumn('name_en', 'text', (c) => c.notNull())
		.addColumn('basis_vi', 'text', (c) => c.notNull())
		.addColumn('basis_en', 'text', (c) => c.notNull())
		.addColumn('unit_level', 'text', (c) =>
			c.notNull().check(sql`unit_level in ('province', 'commune', 'any')`)
		)
		.addColumn('frequency', 'text', (c) =>
			c.notNull().check(sql`frequency in ('once', 'yearly', 'quarterly', 'on_change')`)
		)
		// a scheduled item is due this many days after its period starts or ends
		.addColumn('due_from', 'text', (c) => c.check(sql`due_from in ('start', 'end')`))
		.addColumn('due_days', 'integer', (c) => c.check(sql`due_days between 0 and 730`))
		// how long an item stays on the public site (null: indefinitely)
		.addColumn('display_days', 'integer', (c) => c.check(sql`display_days between 1 and 3650`))
		.addColumn('personal_data', 'boolean', (c) => c.notNull().defaultTo(false))
		.addColumn('position', 'integer', (c) => c.notNull())
		.addCheckConstraint(
			'disclosure_type_schedule',
			sql`(frequency in ('yearly', 'quarterly')) = (due_from is not null and due_days is not null)`
		)
		.execute();
	await db
		.insertInto('disclosure_type')
		.values(
			TYPES.map((t, i) => ({
				code: t.code,
				name_vi: t.vi,
				name_en: t.en,
				basis_vi: t.basisVi,
				basis_en: t.basisEn,
				unit_level: t.level,
				frequency: t.frequency,
				due_from: t.dueFrom ?? null,
				due_days: t.dueDays ?? null,
				display_days: t.displayDays ?? null,
				personal_data: t.personal ?? false,
				position: i
			}))
		)
		.execute();

	await db.schema
		.createTable('disclosure')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('type_code', 'text', (c) => c.notNull().references('disclosure_type.code'))
		.addColumn('unit_id', 'integer', (c) => c.notNull().references('admin_unit.id'))
		.addColumn('agency_id', 'integer', (c) => c.notNull().references('agency.id'))
		// 'YYYY' or 'YYYY-Qn' for scheduled types, null otherwise
		.addColumn('period', 'text', (c) => c.check(sql`period ~ '^[0-9]{4}(-Q[1-4])?$'`))
		.addColumn('status', 'text', (c) =>
			c.notNull().check(sql`status in ('draft', 'published', 'withdrawn')`)
		)
		.addColumn('first_published_at', 'timestamptz')
		// items with personal data leave the public site after this day
		.addColumn('hide_after', 'date')
		.addColumn('withdrawn_at', 'timestamptz')
		.addColumn('withdrawn_reason', 'text')
		.addColumn('search_folded', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('search', sql`tsvector`, (c) =>
			c.generatedAlwaysAs(sql`to_tsvector('simple', search_folded)`).stored()
		)
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addCheckConstraint(
			'disclosure_withdrawn_reason',
			sql`(status = 'withdrawn') = (withdrawn_reason is not null)`
		)
		.execute();
	await db.schema
		.createIndex('disclosure_search')
		.on('disclosure')
		.using('gin')
		.column('search')
		.execute();
	await db.schema
		.createIndex('disclosure_unit_type')
		.on('disclosure')
		.columns(['unit_id', 'type_code', 'period'])
		.execute();

	await db.schema
		.createTable('disclosure_version')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('disclosure_id', 'integer', (c) =>
			c.notNull().references('disclosure.id').onDelete('cascade')
		)
		.addColumn('number', 'integer', (c) => c.notNull())
		.addColumn('status', 'text', (c) =>
			c.notNull().check(sql`status in ('draft', 'submitted', 'published', 'superseded')`)
		)
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('summary', 'text', (c) => c.notNull())
		.addColumn('body_md', 'text', (c) => c.notNull())
		.addColumn('effective_on', 'date', (c) => c.notNull())
		.addColumn('change_note', 'text')
		.addColumn('author_id', 'uuid', (c) => c.notNull().references('app_user.id'))
		.addColumn('approved_by', 'uuid', (c) => c.references('app_user.id'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('published_at', 'timestamptz')
		.addUniqueConstraint('disclosure_version_number', ['disclosure_id', 'number'])
		.addCheckConstraint(
			'disclosure_version_four_eyes',
			sql`status not in ('published', 'superseded') or (approved_by is not null and approved_by <> author_id and published_at is not null)`
		)
		.execute();
	await sql`create unique index disclosure_version_one_open on disclosure_version (disclosure_id) where status in ('draft', 'submitted')`.execute(
		db
	);

	await db.schema
		.createTable('disclosure_file')
		.addColumn('id', 'serial', (c) => c.primaryKey())
		.addColumn('version_id', 'integer', (c) =>
			c.notNull().references('disclosure_version.id').onDelete('cascade')
		)
		.addColumn('sha256', 'text', (c) => c.notNull().references('stored_file.sha256'))
		.addColumn('name', 'text', (c) => c.notNull())
		// a CSV's parsed table ({ columns, rows, numeric }), shown as HTML and offered as CSV/JSON
		.addColumn('table_json', 'text')
		.execute();
	await db.schema
		.createIndex('disclosure_file_version')
		.on('disclosure_file')
		.column('version_id')
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
	for (const table of ['disclosure_file', 'disclosure_version', 'disclosure', 'disclosure_type']) {
		await db.schema.dropTable(table).execute();
	}
}
