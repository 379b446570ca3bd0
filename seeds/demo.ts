import { sql } from 'kysely';
import type { Role } from '../src/lib/auth/access';
import { audit } from '../src/lib/server/audit';
import { inTransaction, type Db } from '../src/lib/server/db';
import type { AgencyKind } from '../src/lib/server/db/schema';
import { hashPassword } from '../src/lib/server/auth/password';
import { hashCode } from '../src/lib/server/surveys/codes';
import { latestPublished } from '../src/lib/server/surveys/instruments';
import { aggregateQueued } from '../src/lib/server/analytics/aggregate';
import { refreshSnapshots } from '../src/lib/server/analytics/snapshot';
import { applyRaking } from '../src/lib/server/surveys/raking';
import { submitResponse } from '../src/lib/server/surveys/submit';
import { createWave, setWaveStatus, type NewWave } from '../src/lib/server/surveys/waves';
import { hasSubIndices, instrumentSpec, type InstrumentSpec } from '../src/lib/surveys/spec';
import { seededRandom, syntheticAnswers } from './synthetic';
import { seedDemoQuestions } from './demo-questions';
import { seedDemoDisclosures } from './demo-disclosures';
import { seedDemoPlans } from './demo-plans';
import { seedDemoDossiers } from './demo-dossiers';
import type { Staff } from '../src/lib/auth/access';

/**
 * Demo data for a fresh embedded database: one province after the 2025 reform (Tuyên Quang,
 * which took in Hà Giang, home of the Vị Xuyên plan in the seeds), its agencies and one staff
 * account for each role. The accounts are listed in the README; never seed them in production.
 */
export const DEMO_PASSWORD = 'CivicVoice-demo-2026';
export const DEMO_PROVINCE_CODE = '08';
const REFORM_DATE = '2025-07-01';

type DemoAgency = { slug: string; vi: string; en: string; kind: AgencyKind; unitCode: string };

export const DEMO_AGENCIES: DemoAgency[] = [
	{
		slug: 'ubnd-tinh-tuyen-quang',
		vi: 'Ủy ban nhân dân tỉnh Tuyên Quang',
		en: 'Tuyên Quang Provincial People’s Committee',
		kind: 'province_committee',
		unitCode: '08'
	},
	{
		slug: 'so-noi-vu',
		vi: 'Sở Nội vụ tỉnh Tuyên Quang',
		en: 'Department of Home Affairs',
		kind: 'department',
		unitCode: '08'
	},
	{
		slug: 'so-tai-chinh',
		vi: 'Sở Tài chính tỉnh Tuyên Quang',
		en: 'Department of Finance',
		kind: 'department',
		unitCode: '08'
	},
	{
		slug: 'so-nong-nghiep-moi-truong',
		vi: 'Sở Nông nghiệp và Môi trường tỉnh Tuyên Quang',
		en: 'Department of Agriculture and Environment',
		kind: 'department',
		unitCode: '08'
	},
	{
		slug: 'trung-tam-phuc-vu-hcc',
		vi: 'Trung tâm Phục vụ hành chính công tỉnh Tuyên Quang',
		en: 'Provincial Public Administrative Service Centre',
		kind: 'one_stop_shop',
		unitCode: '08'
	},
	{
		slug: 'ubnd-phuong-minh-xuan',
		vi: 'Ủy ban nhân dân phường Minh Xuân',
		en: 'Minh Xuân Ward People’s Committee',
		kind: 'commune_committee',
		unitCode: '02215'
	},
	{
		slug: 'ubnd-xa-vi-xuyen',
		vi: 'Ủy ban nhân dân xã Vị Xuyên',
		en: 'Vị Xuyên Commune People’s Committee',
		kind: 'commune_committee',
		unitCode: '00913'
	},
	{
		slug: 'ubnd-phuong-ha-giang-1',
		vi: 'Ủy ban nhân dân phường Hà Giang 1',
		en: 'Hà Giang 1 Ward People’s Committee',
		kind: 'commune_committee',
		unitCode: '00694'
	},
	{
		slug: 'mot-cua-xa-vi-xuyen',
		vi: 'Bộ phận tiếp nhận và trả kết quả xã Vị Xuyên',
		en: 'Vị Xuyên Commune One-Stop Shop',
		kind: 'one_stop_shop',
		unitCode: '00913'
	}
];

type DemoUser = {
	email: string;
	name: string;
	grants: { role: Role; agency?: string; unitCode?: string }[];
};

export const DEMO_USERS: DemoUser[] = [
	{ email: 'admin@demo.civicvoice.vn', name: 'Quản trị viên (demo)', grants: [{ role: 'admin' }] },
	{
		email: 'canbo.noivu@demo.civicvoice.vn',
		name: 'Nguyễn Văn An',
		grants: [{ role: 'official', agency: 'so-noi-vu' }]
	},
	{
		email: 'canbo.vixuyen@demo.civicvoice.vn',
		name: 'Hoàng Thị Bình',
		grants: [{ role: 'official', agency: 'ubnd-xa-vi-xuyen' }]
	},
	{
		email: 'lanhdao.noivu@demo.civicvoice.vn',
		name: 'Đỗ Thị Hạnh',
		grants: [{ role: 'approver', agency: 'so-noi-vu' }]
	},
	{
		email: 'lanhdao.vixuyen@demo.civicvoice.vn',
		name: 'Vàng Văn Sính',
		grants: [{ role: 'approver', agency: 'ubnd-xa-vi-xuyen' }]
	},
	{
		email: 'kiemduyet@demo.civicvoice.vn',
		name: 'Trần Minh Châu',
		grants: [{ role: 'moderator' }]
	},
	{
		email: 'phantich@demo.civicvoice.vn',
		name: 'Lê Thu Dung',
		grants: [
			{ role: 'analyst', unitCode: '08' },
			{ role: 'microdata', unitCode: '08' }
		]
	},
	{
		email: 'dieutravien@demo.civicvoice.vn',
		name: 'Phạm Quốc Huy',
		grants: [{ role: 'interviewer', unitCode: '08' }]
	}
];

export const DEMO_SEEDED_KEY = 'demo_seeded';
export { DEPLOYMENT_UNIT_KEY } from '../src/lib/server/units/deployment';
import { DEPLOYMENT_UNIT_KEY } from '../src/lib/server/units/deployment';

/** Seeds the demo once; returns false when it was already there. Needs the admin units. */
export async function ensureDemoData(db: Db): Promise<boolean> {
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	return inTransaction(db, async (trx) => {
		await sql`select pg_advisory_xact_lock(hashtext('civic-voice:demo'))`.execute(trx);
		const seeded = await trx
			.selectFrom('app_meta')
			.select('key')
			.where('key', '=', DEMO_SEEDED_KEY)
			.executeTakeFirst();
		if (seeded) return false;

		const units = await trx
			.selectFrom('admin_unit')
			.select(['id', 'code'])
			.where('valid_from', '=', REFORM_DATE)
			.where('code', 'in', [...new Set(DEMO_AGENCIES.map((a) => a.unitCode))])
			.execute();
		const unitId = (code: string) => {
			const id = units.find((u) => u.code === code)?.id;
			if (id === undefined) throw new Error(`Demo data: unit ${code} is not loaded`);
			return id;
		};

		const agencies = await trx
			.insertInto('agency')
			.values(
				DEMO_AGENCIES.map((a) => ({
					slug: a.slug,
					name_vi: a.vi,
					name_en: a.en,
					kind: a.kind,
					unit_id: unitId(a.unitCode)
				}))
			)
			.returning(['id', 'slug'])
			.execute();
		const agencyId = (slug: string) => agencies.find((a) => a.slug === slug)!.id;

		const staff = new Map<string, Staff>();
		for (const u of DEMO_USERS) {
			const { id } = await trx
				.insertInto('app_user')
				.values({ email: u.email, display_name: u.name, password_hash: passwordHash })
				.returning('id')
				.executeTakeFirstOrThrow();
			await trx
				.insertInto('user_role')
				.values(
					u.grants.map((g) => ({
						user_id: id,
						role: g.role,
						agency_id: g.agency ? agencyId(g.agency) : null,
						unit_id: g.unitCode ? unitId(g.unitCode) : null
					}))
				)
				.execute();
			staff.set(u.email, {
				id,
				grants: u.grants.map((g) => ({
					role: g.role,
					agencyId: g.agency ? agencyId(g.agency) : null,
					unitId: g.unitCode ? unitId(g.unitCode) : null
				}))
			});
		}

		// the province first: a disclosure's area must lie in it
		await trx
			.insertInto('app_meta')
			.values({ key: DEPLOYMENT_UNIT_KEY, value: String(unitId(DEMO_PROVINCE_CODE)) })
			.execute();
		await seedDemoWaves(trx, unitId, agencyId);
		await seedDemoQuestions(trx, unitId, agencyId, (email) => staff.get(email)!);
		await seedDemoDisclosures(trx, unitId, agencyId, (email) => staff.get(email)!);
		await seedDemoPlans(trx, unitId, agencyId, (email) => staff.get(email)!);
		await seedDemoDossiers(trx, agencyId);

		await trx
			.insertInto('app_meta')
			.values({ key: DEMO_SEEDED_KEY, value: new Date().toISOString() })
			.execute();
		await audit(trx, {
			actorId: null,
			action: 'demo.seed',
			entityType: 'database',
			details: { users: DEMO_USERS.length, agencies: DEMO_AGENCIES.length }
		});
		return true;
	});
}

type Commune = { id: number; code: string };

/**
 * Population margins for the demo's raked wave. Illustrative figures, made up to look like a
 * mountain province's adults: NOT census figures, and labelled so wherever they are shown.
 */
const DEMO_MARGINS = `# Số liệu minh họa, không phải số liệu tổng điều tra
gender*age_band, male*18_24, 43 100
gender*age_band, female*18_24, 40 900
gender*age_band, male*25_34, 63 800
gender*age_band, female*25_34, 61 200
gender*age_band, male*35_44, 55 300
gender*age_band, female*35_44, 53 700
gender*age_band, male*45_54, 41 600
gender*age_band, female*45_54, 41 400
gender*age_band, male*55_64, 32 900
gender*age_band, female*55_64, 35 100
gender*age_band, male*65_plus, 22 400
gender*age_band, female*65_plus, 30 600
urban_rural, urban, 87 000
urban_rural, rural, 435 000
ethnicity, kinh, 120 000
ethnicity, tay, 125 000
ethnicity, hmong, 115 000
ethnicity, dao, 80 000
ethnicity, nung, 45 000
ethnicity, thai+muong+khmer+other, 37 000`;

/** Synthetic responses (see seeds/synthetic.ts), submitted like real ones, hour by hour. */
async function seedResponses(
	trx: Db,
	waveId: number,
	versionId: number,
	communes: readonly Commune[],
	o: { count: number; quality: number; from: Date; seed: number; interviewed?: boolean }
) {
	const { spec } = await trx
		.selectFrom('instrument_version')
		.select('spec')
		.where('id', '=', versionId)
		.executeTakeFirstOrThrow();
	const random = seededRandom(o.seed);
	for (let i = 0; i < o.count; i++) {
		const commune = communes[i % communes.length]!;
		// communes differ: the first ones are served better than the last
		const quality = o.quality + 0.2 * (0.5 - (i % communes.length) / communes.length);
		const result = await submitResponse(
			trx,
			{
				waveId,
				versionId,
				unitId: commune.id,
				mode: o.interviewed && i % 3 === 0 ? 'interviewer' : 'web',
				submitKey: `demo-${waveId}-${i}-${o.seed}`,
				answers: syntheticAnswers(spec as InstrumentSpec, random, {
					quality,
					communeCode: commune.code
				})
			},
			new Date(o.from.getTime() + i * 37 * 60_000)
		);
		if (!result.ok) throw new Error(`Demo data: response ${i} refused (${result.reason})`);
	}
}

/**
 * Two earlier PAPI waves of the province, closed, with synthetic respondents in eight communes
 * and design weights (the later one raked to illustrative population margins), so that
 * analysts see scores, breakdowns and a trend; and the SIPAS target
 * of seed 001 (satisfaction with administrative procedures at least 90%).
 */
async function seedDemoHistory(trx: Db, unitId: (code: string) => number, papi: number) {
	const province = unitId(DEMO_PROVINCE_CODE);
	const communes = await trx
		.selectFrom('admin_unit')
		.select(['id', 'code'])
		.where('parent_id', '=', province)
		.where('level', '=', 'commune')
		.where('valid_to', 'is', null)
		.orderBy('code')
		.limit(8)
		.execute();
	const history = [
		{ slug: 'papi-tuyen-quang-2025', year: 2025, count: 360, quality: 0.45 },
		{ slug: 'papi-tuyen-quang-dot-1-2026', year: 2026, count: 400, quality: 0.55 }
	];
	for (const [i, h] of history.entries()) {
		const id = await createWave(
			trx,
			{
				slug: h.slug,
				versionId: papi,
				title: {
					vi: `Khảo sát PAPI tỉnh Tuyên Quang, đợt ${h.year === 2025 ? 'năm 2025' : '1 năm 2026'}`,
					en: `Tuyên Quang PAPI survey, ${h.year === 2025 ? '2025' : '2026 round 1'}`
				},
				description: {
					vi: 'Dữ liệu minh họa do hệ thống tạo ra, không phải ý kiến thật của người dân.',
					en: 'Illustrative data generated by the system, not real citizens’ views.'
				},
				layout: 'paged',
				accessMode: 'open',
				unitIds: [province],
				opensOn: `${h.year}-0${3 + i * 3}-01`,
				closesOn: `${h.year}-0${4 + i * 3}-30`
			},
			null
		);
		await trx
			.insertInto('survey_wave_weight')
			.values(communes.map((c, j) => ({ wave_id: id, unit_id: c.id, weight: 0.8 + 0.1 * j })))
			.execute();
		await setWaveStatus(trx, id, 'open', null);
		await seedResponses(trx, id, papi, communes, {
			count: h.count,
			quality: h.quality,
			from: new Date(`${h.year}-0${3 + i * 3}-02T01:00:00Z`),
			seed: h.year + i,
			// PAPI is face to face: a third of the demo's answers were entered by interviewers
			interviewed: true
		});
		await setWaveStatus(trx, id, 'closed', null);
		// the later wave is raked to (illustrative) population margins
		if (i === 1) {
			const raked = await applyRaking(
				trx,
				id,
				{ text: DEMO_MARGINS, source: 'Số liệu minh họa', illustrative: true },
				null
			);
			if (!raked.ok) throw new Error(`Demo data: raking refused (${raked.reason})`);
		}
	}
	const sipas = await latestPublished(trx, 'sipas');
	if (sipas) {
		// satisfaction with handling administrative procedures: the service sub-index since QĐ 1001
		await trx
			.insertInto('measure_target')
			.values({
				instrument_id: sipas.instrumentId,
				measure: hasSubIndices(sipas.spec) ? 'service_index' : 'total',
				value: 0.9,
				note: 'KH 150/KH-UBND tỉnh Tuyên Quang, Phụ lục 02, mục 5.3'
			})
			.execute();
	}
}

/**
 * The one-stop shop's survey of 2025, closed, on the SIPAS version of the five-element method
 * (before QĐ 1001/QĐ-BNV): it keeps that version, and its index lines up in the trend with the
 * service sub-index of the 2026 wave, which asks the policy part too.
 */
async function seedSipasHistory(
	trx: Db,
	unitId: (code: string) => number,
	agencyId: (slug: string) => number
) {
	const versions = await trx
		.selectFrom('instrument_version as v')
		.innerJoin('instrument as i', 'i.id', 'v.instrument_id')
		.select(['v.id', 'v.spec'])
		.where('i.slug', '=', 'sipas')
		.where('v.status', '=', 'published')
		.orderBy('v.version', 'desc')
		.execute();
	const before2023 = versions.find((v) => !hasSubIndices(instrumentSpec.parse(v.spec)));
	if (!before2023) return;
	const viXuyen = unitId('00913');
	const id = await createWave(
		trx,
		{
			slug: 'sipas-vi-xuyen-2025',
			versionId: before2023.id,
			title: {
				vi: 'Khảo sát sự hài lòng của người dân xã Vị Xuyên năm 2025 (phiếu 5 yếu tố)',
				en: 'Vị Xuyên citizen satisfaction survey 2025 (five-element questionnaire)'
			},
			description: {
				vi: 'Dữ liệu minh họa do hệ thống tạo ra, không phải ý kiến thật của người dân.',
				en: 'Illustrative data generated by the system, not real citizens’ views.'
			},
			layout: 'single',
			accessMode: 'open',
			unitIds: [viXuyen],
			agencyId: agencyId('mot-cua-xa-vi-xuyen'),
			opensOn: '2025-09-01',
			closesOn: '2025-10-31'
		},
		null
	);
	await setWaveStatus(trx, id, 'open', null);
	await seedResponses(trx, id, before2023.id, [{ id: viXuyen, code: '00913' }], {
		count: 100,
		quality: 0.7,
		from: new Date('2025-09-02T01:00:00Z'),
		seed: 25
	});
	await setWaveStatus(trx, id, 'closed', null);
}

/** Invitation codes of the demo designed-sample wave, published in the README like the passwords. */
export const DEMO_INVITATION_CODES = Array.from(
	{ length: 10 },
	(_, i) => `TEST-2026-${String(i + 1).padStart(4, '0')}`
);

async function seedDemoWaves(
	trx: Db,
	unitId: (code: string) => number,
	agencyId: (slug: string) => number
) {
	const published = async (slug: string) => {
		const version = await latestPublished(trx, slug);
		if (!version) throw new Error(`Demo data: instrument ${slug} is not seeded`);
		return version.id;
	};
	const papi = await published('papi');
	const sipas = await published('sipas');
	const counterForm = await published('sipas-quay');
	await seedDemoHistory(trx, unitId, papi);
	await seedSipasHistory(trx, unitId, agencyId);
	const waves: NewWave[] = [
		{
			slug: 'papi-tuyen-quang-2026',
			versionId: papi,
			title: {
				vi: 'Khảo sát chỉ số PAPI tỉnh Tuyên Quang năm 2026',
				en: 'Tuyên Quang PAPI survey 2026'
			},
			description: {
				vi: 'Ý kiến của người dân về hiệu quả quản trị và hành chính công ở cấp tỉnh và cấp xã, theo 8 chỉ số nội dung của PAPI.',
				en: 'Citizens’ views on governance and public administration at province and commune level, along the 8 PAPI dimensions.'
			},
			layout: 'paged',
			accessMode: 'open',
			unitIds: [unitId(DEMO_PROVINCE_CODE)],
			closesOn: '2026-12-31'
		},
		{
			slug: 'sipas-mot-cua-vi-xuyen-2026',
			versionId: sipas,
			title: {
				vi: 'Đánh giá sự hài lòng tại Bộ phận tiếp nhận và trả kết quả xã Vị Xuyên',
				en: 'Satisfaction at the Vị Xuyên Commune One-Stop Shop'
			},
			description: {
				vi: 'Phiếu ngắn dành cho người dân vừa giải quyết thủ tục hành chính tại Bộ phận một cửa.',
				en: 'A short questionnaire for citizens who have just completed an administrative procedure at the one-stop shop.'
			},
			layout: 'single',
			accessMode: 'open',
			resultsMode: 'live',
			unitIds: [unitId('00913')],
			agencyId: agencyId('mot-cua-xa-vi-xuyen')
		},
		{
			slug: 'danh-gia-tai-quay-vi-xuyen-2026',
			versionId: counterForm,
			title: {
				vi: 'Đánh giá sự hài lòng tại quầy Bộ phận một cửa xã Vị Xuyên',
				en: 'Satisfaction at the counters of the Vị Xuyên one-stop shop'
			},
			description: {
				vi: 'Phiếu năm câu người dân trả lời trên máy tính bảng đặt tại quầy, ngay sau khi nộp hồ sơ.',
				en: 'Five questions people answer on the counter’s tablet right after handing in their dossier.'
			},
			layout: 'single',
			accessMode: 'open',
			resultsMode: 'live',
			unitIds: [unitId('00913')],
			agencyId: agencyId('mot-cua-xa-vi-xuyen')
		},
		{
			slug: 'papi-mau-chon-2026',
			versionId: papi,
			title: { vi: 'Khảo sát PAPI theo mẫu chọn năm 2026', en: 'PAPI designed-sample survey 2026' },
			description: {
				vi: 'Dành cho người dân được chọn vào mẫu khảo sát và nhận thư mời có mã tham gia.',
				en: 'For citizens selected into the survey sample, who received an invitation with a code.'
			},
			layout: 'paged',
			accessMode: 'invitation',
			unitIds: [unitId(DEMO_PROVINCE_CODE)],
			targetResponses: 1200
		}
	];
	for (const wave of waves) {
		const id = await createWave(trx, wave, null);
		await setWaveStatus(trx, id, 'open', null);
		if (wave.slug === 'sipas-mot-cua-vi-xuyen-2026')
			await seedResponses(trx, id, sipas, [{ id: unitId('00913'), code: '00913' }], {
				count: 120,
				quality: 0.8,
				from: new Date('2026-09-01T01:00:00Z'),
				seed: 26
			});
		if (wave.accessMode === 'invitation') {
			await trx
				.insertInto('invitation_tally')
				.values({ wave_id: id, batches: 1, issued: DEMO_INVITATION_CODES.length })
				.execute();
			await trx
				.insertInto('invitation_code')
				.values(
					DEMO_INVITATION_CODES.map((c) => ({ wave_id: id, code_hash: hashCode(c), batch: 1 }))
				)
				.execute();
		}
	}
	// a counter of the one-stop shop showing the counter wave; staff make its kiosk links
	const counterWave = await trx
		.selectFrom('survey_wave')
		.select('id')
		.where('slug', '=', 'danh-gia-tai-quay-vi-xuyen-2026')
		.executeTakeFirstOrThrow();
	await trx
		.insertInto('counter')
		.values({
			agency_id: agencyId('mot-cua-xa-vi-xuyen'),
			name: 'Quầy số 1',
			fields: ['Hộ tịch', 'Chứng thực', 'Đất đai'],
			wave_id: counterWave.id
		})
		.execute();
	// the demo's results are there at first start, not a few aggregator ticks later
	for (let n = await aggregateQueued(trx, 2000); n > 0; n = await aggregateQueued(trx, 2000));
	await refreshSnapshots(trx);
}
