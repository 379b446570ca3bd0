import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdminUnits } from '../../seeds/admin-units';
import { ensureInstruments } from '../../seeds/instruments';
import {
	createInstrument,
	getVersion,
	latestPublished,
	publishVersion,
	saveDraft
} from '$lib/server/surveys/instruments';
import { generateInvitations, redeemInvitation } from '$lib/server/surveys/invitations';
import { hashCode } from '$lib/server/surveys/codes';
import { loadDraft, saveDraftAnswers, startDraft } from '$lib/server/surveys/drafts';
import { waveSummaries } from '$lib/server/surveys/fieldwork';
import { submitResponse, toHour } from '$lib/server/surveys/submit';
import { communesInScope, createWave, setWaveStatus } from '$lib/server/surveys/waves';
import type { Grant } from '$lib/auth/access';
import type { CleanAnswer } from '$lib/surveys/answers';
import { admitInterviewer, interviewsFor } from '$lib/server/surveys/respond';
import { mayChangeInstrument } from '$lib/server/surveys/permissions';
import { instrumentUnits } from '$lib/server/surveys/scope';
import { DEPLOYMENT_UNIT_KEY } from '$lib/server/units/deployment';
import { backends, migratedDb, type TestDb } from './harness';
import { unitInForce } from './places';

describe.each(backends)('surveys on %s', (backend) => {
	let t: TestDb;
	let sipasVersion: number;
	let waveId: number;
	let viXuyen: number;
	const answers: CleanAnswer[] = [
		{ code: 'a', options: ['4'] },
		{ code: 'b', number: 3 },
		{ code: 'c', text: 'Cán bộ nhiệt tình' }
	];

	beforeAll(async () => {
		t = await migratedDb(backend);
		await ensureAdminUnits(t.db);
		expect(await ensureInstruments(t.db)).toEqual([
			'papi v1',
			'sipas v1',
			'sipas v2',
			'sipas-quay v1'
		]);
		sipasVersion = (await latestPublished(t.db, 'sipas'))!.id;
		viXuyen = await unitInForce(t.db, '00913');
		waveId = await createWave(
			t.db,
			{
				slug: 'w1',
				versionId: sipasVersion,
				title: { vi: 'Đợt 1', en: 'Wave 1' },
				unitIds: [viXuyen]
			},
			null
		);
		await setWaveStatus(t.db, waveId, 'open', null);
	});
	afterAll(async () => t?.close());

	it('stores 50 concurrent submissions with one key exactly once, all with the same receipt', async () => {
		const results = await Promise.all(
			Array.from({ length: 50 }, () =>
				submitResponse(t.db, {
					waveId,
					versionId: sipasVersion,
					unitId: viXuyen,
					mode: 'web',
					submitKey: 'same-key-0123456789',
					answers
				})
			)
		);
		const receipts = new Set(results.map((r) => (r.ok ? r.receipt : r.reason)));
		expect(receipts.size).toBe(1);
		expect(results.filter((r) => r.ok && !r.replay)).toHaveLength(1);
		const stored = await t.db
			.selectFrom('survey_response')
			.select('id')
			.where('wave_id', '=', waveId)
			.execute();
		expect(stored).toHaveLength(1);
		const rows = await t.db
			.selectFrom('survey_answer')
			.select('question_code')
			.where('response_id', '=', stored[0]!.id)
			.execute();
		expect(rows.map((r) => r.question_code).sort()).toEqual(['a', 'b', 'c']);
	});

	it('refuses the same key with different answers', async () => {
		const first = await submitResponse(t.db, {
			waveId,
			versionId: sipasVersion,
			unitId: null,
			mode: 'web',
			submitKey: 'key-two-0123456789',
			answers
		});
		expect(first.ok).toBe(true);
		const changed = await submitResponse(t.db, {
			waveId,
			versionId: sipasVersion,
			unitId: null,
			mode: 'web',
			submitKey: 'key-two-0123456789',
			answers: [{ code: 'a', options: ['1'] }]
		});
		expect(changed).toEqual({ ok: false, reason: 'key_reused' });
	});

	it('stores nothing once a wave has closed, but a repeat of an accepted submission keeps its receipt', async () => {
		const closing = await createWave(
			t.db,
			{
				slug: 'w-closing',
				versionId: sipasVersion,
				title: { vi: 'Sắp đóng', en: 'Closing' },
				unitIds: [viXuyen]
			},
			null
		);
		const submit = (submitKey: string) =>
			submitResponse(t.db, {
				waveId: closing,
				versionId: sipasVersion,
				unitId: null,
				mode: 'web',
				submitKey,
				answers
			});
		expect(await submit('before-open-0123456789')).toEqual({ ok: false, reason: 'closed' });
		await setWaveStatus(t.db, closing, 'open', null);
		const accepted = await submit('accepted-0123456789');
		expect(accepted.ok).toBe(true);
		await setWaveStatus(t.db, closing, 'closed', null);
		expect(await submit('too-late-0123456789')).toEqual({ ok: false, reason: 'closed' });
		expect(await submit('accepted-0123456789')).toEqual({ ...accepted, replay: true });
		const stored = await t.db
			.selectFrom('survey_response')
			.select('id')
			.where('wave_id', '=', closing)
			.execute();
		expect(stored).toHaveLength(1);
	});

	it('keeps nothing on a response that could identify the respondent, and the time only to the hour', async () => {
		const { rows } = await sql<{ column_name: string }>`
			select column_name from information_schema.columns where table_name = 'survey_response'`.execute(
			t.db
		);
		const columns = rows.map((r) => r.column_name).sort();
		expect(columns).toEqual([
			'answers_digest',
			'closed_answers',
			// a kiosk response's counter and field: a place and a kind of procedure, shared by many
			'counter_id',
			'field',
			'id',
			'instrument_version_id',
			'mode',
			// the final weight of a raking: a function of the demographics and commune on the row
			'raked_weight',
			'receipt',
			'submit_key_hash',
			'submitted_hour',
			'unit_id',
			'wave_id'
		]);
		for (const c of columns)
			expect(c).not.toMatch(
				/(^|_)(user|ip|addr|address|agent|ua|invitation|invite|code|email|phone|name|session|created)(_|$)/
			);
		// the export copy of the answers never holds what a respondent wrote in their own words
		const texts = await t.db
			.selectFrom('survey_answer as a')
			.innerJoin('survey_response as r', 'r.id', 'a.response_id')
			.select(['a.value_text', 'r.closed_answers'])
			.where('a.value_text', 'is not', null)
			.execute();
		expect(texts.length).toBeGreaterThan(0);
		for (const row of texts) expect(row.closed_answers).not.toContain(row.value_text!);
		const hours = await t.db.selectFrom('survey_response').select('submitted_hour').execute();
		for (const h of hours) expect(h.submitted_hour.getTime() % 3_600_000).toBe(0);
		expect(toHour(new Date('2026-11-22T10:47:13.500Z')).toISOString()).toBe(
			'2026-11-22T10:00:00.000Z'
		);
		await expect(
			sql`insert into survey_response (wave_id, instrument_version_id, mode, submitted_hour, receipt, submit_key_hash, answers_digest)
				values (${waveId}, ${sipasVersion}, 'web', '2026-11-22T10:47:00Z', 'X', '\\x00', '\\x00')`.execute(
				t.db
			)
		).rejects.toThrow();
	});

	it('uses an invitation code once and never records which response used it', async () => {
		const invitationWave = await createWave(
			t.db,
			{
				slug: 'w-inv',
				versionId: sipasVersion,
				title: { vi: 'Mẫu', en: 'Sample' },
				accessMode: 'invitation',
				unitIds: [viXuyen]
			},
			null
		);
		await setWaveStatus(t.db, invitationWave, 'open', null);
		const [code] = await generateInvitations(t.db, invitationWave, 3, null);
		const stored = await t.db
			.selectFrom('invitation_code')
			.select('code_hash')
			.where('wave_id', '=', invitationWave)
			.execute();
		expect(stored.every((s) => !Buffer.from(s.code_hash).toString('utf8').includes(code!))).toBe(
			true
		);
		const resume = await redeemInvitation(t.db, invitationWave, code!.toLowerCase());
		expect(resume).toBeDefined();
		const draft = (await loadDraft(t.db, resume!, invitationWave))!;
		expect(draft.ballot).toBe(true);
		const ok = await submitResponse(t.db, {
			waveId: invitationWave,
			versionId: sipasVersion,
			unitId: null,
			mode: 'web',
			submitKey: draft.submitKey,
			answers,
			draftCode: resume
		});
		expect(ok.ok).toBe(true);
		expect(await redeemInvitation(t.db, invitationWave, code!)).toBeUndefined();
		// a used code leaves no row behind: nothing to join to the response
		const left = await t.db
			.selectFrom('invitation_code')
			.select('id')
			.where('code_hash', '=', hashCode(code!))
			.execute();
		expect(left).toEqual([]);
		const again = await submitResponse(t.db, {
			waveId: invitationWave,
			versionId: sipasVersion,
			unitId: null,
			mode: 'web',
			submitKey: 'inv-key-2-0123456789',
			answers,
			draftCode: resume
		});
		expect(again).toEqual({ ok: false, reason: 'invitation_used' });
		// the refused attempt left no response behind
		const count = await t.db
			.selectFrom('survey_response')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('wave_id', '=', invitationWave)
			.executeTakeFirstOrThrow();
		expect(Number(count.n)).toBe(1);
		// fieldwork still counts the used code
		const [summary] = await waveSummaries(t.db, invitationWave);
		expect(summary!.invitations).toEqual({ total: 3, used: 1 });
	});

	it('records interviewer mode on the draft and the response, and nothing about the interviewer', async () => {
		const code = await startDraft(t.db, waveId, 'interviewer');
		const draft = await loadDraft(t.db, code, waveId);
		expect(draft?.mode).toBe('interviewer');
		const result = await submitResponse(t.db, {
			waveId,
			versionId: sipasVersion,
			unitId: null,
			mode: draft!.mode,
			submitKey: draft!.submitKey,
			answers,
			draftCode: code
		});
		expect(result.ok).toBe(true);
		const row = await t.db
			.selectFrom('survey_response')
			.select('mode')
			.where('receipt', '=', result.ok ? result.receipt : '')
			.executeTakeFirstOrThrow();
		expect(row.mode).toBe('interviewer');
		expect(await loadDraft(t.db, code, waveId)).toBeUndefined();
	});

	it('keeps a draft by its resume code, whatever the case and dashes typed', async () => {
		const code = await startDraft(t.db, waveId);
		expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
		await saveDraftAnswers(t.db, code, { a: '5', multi: ['x', 'y'] });
		const typed = code.toLowerCase().replace(/-/g, ' ');
		expect((await loadDraft(t.db, typed, waveId))?.answers).toEqual({ a: '5', multi: ['x', 'y'] });
		expect(await loadDraft(t.db, 'AAAA-BBBB-CCCC', waveId)).toBeUndefined();
	});

	it('makes a new version when a published instrument is edited; old responses keep the old one', async () => {
		const v1 = (await getVersion(t.db, sipasVersion))!;
		const edited = { ...v1.spec, title: { vi: 'Phiếu SIPAS (sửa đổi)', en: 'SIPAS (revised)' } };
		const v2 = await saveDraft(t.db, v1.instrumentId, edited, null);
		expect(v2.version).toBe(v1.version + 1);
		expect(v2.status).toBe('draft');
		expect((await getVersion(t.db, sipasVersion))!.spec.title.en).toBe(v1.spec.title.en);
		await expect(
			sql`update instrument_version set spec = '{}'::jsonb where id = ${sipasVersion}`.execute(t.db)
		).rejects.toThrow(/frozen/);
		// a wave cannot open on the draft
		const draftWave = await createWave(
			t.db,
			{ slug: 'w-draft', versionId: v2.id, title: { vi: 'Nháp', en: 'Draft' }, unitIds: [viXuyen] },
			null
		);
		await expect(setWaveStatus(t.db, draftWave, 'open', null)).rejects.toMatchObject({
			code: 'unpublished',
			status: 409
		});
		expect(await publishVersion(t.db, v2.id, null)).toBe(true);
		await setWaveStatus(t.db, draftWave, 'open', null);
		const old = await t.db
			.selectFrom('survey_response')
			.select('instrument_version_id')
			.where('wave_id', '=', waveId)
			.execute();
		expect(old.length).toBeGreaterThan(0);
		expect(old.every((r) => r.instrument_version_id === sipasVersion)).toBe(true);
	});

	it('offers the communes of the wave scope, and all communes of a province scope', async () => {
		expect((await communesInScope(t.db, waveId)).map((c) => c.name)).toEqual(['Xã Vị Xuyên']);
		const province = await unitInForce(t.db, '08');
		const wide = await createWave(
			t.db,
			{
				slug: 'w-prov',
				versionId: sipasVersion,
				title: { vi: 'Tỉnh', en: 'Province' },
				unitIds: [province]
			},
			null
		);
		expect(await communesInScope(t.db, wide)).toHaveLength(124);
	});

	it('lets only a province-wide analyst (or an admin analyst) change an instrument', async () => {
		const [province, haNoi] = [await unitInForce(t.db, '08'), await unitInForce(t.db, '01')];
		const sipas = (await getVersion(t.db, sipasVersion))!.instrumentId;
		const papiVersion = (await latestPublished(t.db, 'papi'))!;
		const grants = (...g: [Grant['role'], number | null][]): Grant[] =>
			g.map(([role, unitId]) => ({ role, unitId, agencyId: null }));
		const may = async (g: Grant[], id: number | null) =>
			mayChangeInstrument(g, await instrumentUnits(t.db, id));
		// no deployment province: only an analyst for all units
		expect(await may(grants(['analyst', province]), null)).toBe(false);
		await t.db
			.insertInto('app_meta')
			.values({ key: DEPLOYMENT_UNIT_KEY, value: String(province) })
			.execute();
		// a wave of another province on PAPI: the province's analyst may no longer change PAPI
		await createWave(
			t.db,
			{ slug: 'w-hn', versionId: papiVersion.id, title: { vi: 'HN', en: 'HN' }, unitIds: [haNoi] },
			null
		);
		const cases: [string, Grant[], number | null, boolean][] = [
			['commune analyst, new instrument', grants(['analyst', viXuyen]), null, false],
			['commune analyst, SIPAS', grants(['analyst', viXuyen]), sipas, false],
			['province analyst, new instrument', grants(['analyst', province]), null, true],
			['province analyst, SIPAS', grants(['analyst', province]), sipas, true],
			[
				'province analyst, PAPI used in Hà Nội',
				grants(['analyst', province]),
				papiVersion.instrumentId,
				false
			],
			['analyst of another province', grants(['analyst', haNoi]), null, false],
			['analyst for all units', grants(['analyst', null]), papiVersion.instrumentId, true],
			['admin without the analyst role', grants(['admin', null]), sipas, false],
			[
				'admin with a commune analyst role',
				grants(['admin', null], ['analyst', viXuyen]),
				sipas,
				true
			],
			['interviewer of the province', grants(['interviewer', province]), null, false]
		];
		for (const [what, g, id, allowed] of cases) expect(await may(g, id), what).toBe(allowed);
	});

	it('admits an interviewer only to waves in their units, and only so many an hour', async () => {
		const interviewer = (id: string, unitId: number | null) => ({
			id,
			grants: [{ role: 'interviewer' as const, unitId, agencyId: null }]
		});
		const province = interviewer(
			'00000000-0000-4000-8000-000000000001',
			await unitInForce(t.db, '08')
		);
		const commune = interviewer('00000000-0000-4000-8000-000000000002', viXuyen);
		const elsewhere = interviewer(
			'00000000-0000-4000-8000-000000000003',
			await unitInForce(t.db, '01')
		);
		// the wave of Vị Xuyên: the province's and the commune's interviewers, not Hà Nội's
		expect(await interviewsFor(t.db, province, waveId)).toBe(true);
		expect(await interviewsFor(t.db, commune, waveId)).toBe(true);
		expect(await interviewsFor(t.db, elsewhere, waveId)).toBe(false);
		expect(await interviewsFor(t.db, null, waveId)).toBe(false);
		expect(await admitInterviewer(t.db, elsewhere, waveId)).toEqual({ refused: 'scope' });
		// a province-wide wave is not the commune interviewer's
		const wide = await createWave(
			t.db,
			{
				slug: 'w-iv',
				versionId: sipasVersion,
				title: { vi: 'T', en: 'T' },
				unitIds: [await unitInForce(t.db, '08')]
			},
			null
		);
		expect(await admitInterviewer(t.db, commune, wide)).toEqual({ refused: 'scope' });
		// INTERVIEWER_SUBMITS_PER_HOUR (10 by default) per interviewer, whatever the wave
		const at = new Date('2026-11-22T03:00:00Z');
		for (let i = 0; i < 10; i++)
			expect(await admitInterviewer(t.db, province, i % 2 ? waveId : wide, at)).toBeNull();
		expect(await admitInterviewer(t.db, province, waveId, at)).toMatchObject({ refused: 'limit' });
		// another interviewer is not held back, and the counter names no one
		expect(await admitInterviewer(t.db, commune, waveId, at)).toBeNull();
		const keys = await t.db.selectFrom('rate_limit').select('key').execute();
		expect(keys.map((k) => k.key).join(' ')).not.toContain(province.id);
	});

	it('creates an instrument from JSON as a first draft version', async () => {
		const v1 = (await getVersion(t.db, sipasVersion))!;
		const created = await createInstrument(t.db, { ...v1.spec, slug: 'sipas-copy' }, null);
		expect(created).toMatchObject({ version: 1, status: 'draft' });
	});
});
