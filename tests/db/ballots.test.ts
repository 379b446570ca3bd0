import { Migrator, sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdminUnits } from '../../seeds/admin-units';
import { ensureInstruments } from '../../seeds/instruments';
import { latestPublished } from '$lib/server/surveys/instruments';
import { generateInvitations, redeemInvitation } from '$lib/server/surveys/invitations';
import { loadDraft, saveDraftAnswers, startDraft } from '$lib/server/surveys/drafts';
import { submitResponse, type SubmitResult } from '$lib/server/surveys/submit';
import { createWave, setWaveStatus } from '$lib/server/surveys/waves';
import type { CleanAnswer } from '$lib/surveys/answers';
import { migrateToLatest, migrationProvider } from '$lib/server/db/migrate';
import { hashCode } from '$lib/server/surveys/codes';
import { backends, emptyDb, migratedDb, type TestDb } from './harness';
import { unitInForce } from './places';

/**
 * Finding 7 of issue 15: a used invitation code and the response it allowed must not be linkable
 * from the stored rows (no shared transaction id, no order, no time), while a code is still used
 * once and an acknowledged response is never lost.
 */
describe.each(backends)('invitation ballots on %s', (backend) => {
	let t: TestDb;
	let versionId: number;
	let viXuyen: number;
	let waves = 0;

	const answersOf = (n: number): CleanAnswer[] => [
		{ code: 'a', options: [String((n % 5) + 1)] },
		{ code: 'b', number: n }
	];

	async function invitationWave(): Promise<number> {
		const id = await createWave(
			t.db,
			{
				slug: `ballot-${++waves}`,
				versionId,
				title: { vi: 'Mẫu chọn', en: 'Designed sample' },
				accessMode: 'invitation',
				unitIds: [viXuyen]
			},
			null
		);
		await setWaveStatus(t.db, id, 'open', null);
		return id;
	}

	/** What the start page does with a typed invitation code: a resume code, or nothing. */
	async function useCode(waveId: number, code: string): Promise<string | undefined> {
		return redeemInvitation(t.db, waveId, code);
	}

	/** What the review page does: the draft found by its resume code is submitted. */
	async function submitDraft(waveId: number, resume: string): Promise<SubmitResult> {
		const draft = await loadDraft(t.db, resume, waveId);
		if (!draft) throw new Error('no draft');
		return submitResponse(t.db, {
			waveId,
			versionId,
			unitId: null,
			mode: draft.mode,
			submitKey: draft.submitKey,
			answers: answersOf(Number(draft.answers.b ?? 0)),
			draftCode: resume
		});
	}

	beforeAll(async () => {
		t = await migratedDb(backend);
		await ensureAdminUnits(t.db);
		await ensureInstruments(t.db);
		versionId = (await latestPublished(t.db, 'sipas'))!.id;
		viXuyen = await unitInForce(t.db, '00913');
	});
	afterAll(async () => t?.close());

	it('leaves no transaction id, row order or time that joins a used code to its response', async () => {
		const waveId = await invitationWave();
		const codes = await generateInvitations(t.db, waveId, 6, null);
		// one respondent after another: the order of codes used is the order of responses
		const receipts: string[] = [];
		for (const [n, code] of codes.slice(0, 5).entries()) {
			const resume = await useCode(waveId, code);
			expect(resume).toBeDefined();
			await saveDraftAnswers(t.db, resume!, { a: String((n % 5) + 1), b: String(n) });
			const result = await submitDraft(waveId, resume!);
			if (!result.ok) throw new Error(result.reason);
			receipts.push(result.receipt);
		}

		type Row = { xmin: string; xmax: string; ctid: string; row: Record<string, unknown> };
		const pageSlot = (ctid: string) => ctid.slice(1, -1).split(',').map(Number) as [number, number];
		const xids = (rows: Row[]) =>
			new Set(rows.flatMap((r) => [r.xmin, r.xmax]).filter((x) => x !== '0'));
		const times = (row: Record<string, unknown>) =>
			Object.values(row)
				.filter((v): v is string => typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v))
				.map((v) => new Date(v).getTime());

		// every live row that still names a used code, whatever its columns
		const codeRows: Row[][] = [];
		for (const code of codes.slice(0, 5)) {
			const { rows } = await sql<Row>`
				select xmin::text, xmax::text, ctid::text, to_jsonb(c) as row from invitation_code c
				where wave_id = ${waveId} and code_hash = sha256(convert_to(${code}, 'UTF8'))`.execute(t.db);
			codeRows.push(rows);
		}
		// every live row a response wrote: the response, its answers, its place in the queue
		const responseRows: Row[][] = [];
		for (const receipt of receipts) {
			const { rows } = await sql<Row>`
				select xmin::text, xmax::text, ctid::text, to_jsonb(r) as row from survey_response r
				where receipt = ${receipt}
				union all
				select a.xmin::text, a.xmax::text, a.ctid::text, '{}'::jsonb from survey_answer a
				join survey_response r on r.id = a.response_id where r.receipt = ${receipt}
				union all
				select q.xmin::text, q.xmax::text, q.ctid::text, '{}'::jsonb from analytics_queue q
				join survey_response r on r.id = q.response_id where r.receipt = ${receipt}`.execute(t.db);
			responseRows.push(rows);
		}

		for (const rows of codeRows) {
			// no transaction id (xmin, xmax) of a code's row is one of exactly one response's rows
			const shared = responseRows.filter((r) => [...xids(r)].some((x) => xids(rows).has(x)));
			expect(shared.length).not.toBe(1);
			// no time stored with a code equals the time of exactly one response
			const codeTimes = rows.flatMap((r) => times(r.row));
			const sameTime = responseRows.filter((r) =>
				times(r[0]!.row).some((x) => codeTimes.includes(x))
			);
			expect(sameTime.length).not.toBe(1);
		}
		// neither the physical order (ctid) nor the order of transaction ids of the codes' rows
		// repeats the order of the responses
		const indexed = codeRows.flatMap((rows, i) => rows.map((row) => ({ i, row })));
		if (indexed.length > 1) {
			const responseOrder = (key: (r: Row) => number) =>
				responseRows
					.map((rows, i) => ({ i, row: rows[0]! }))
					.filter(({ i }) => indexed.some((c) => c.i === i))
					.sort((a, b) => key(a.row) - key(b.row))
					.map(({ i }) => i);
			const codeOrder = (key: (r: Row) => number) =>
				[...indexed].sort((a, b) => key(a.row) - key(b.row)).map(({ i }) => i);
			const ctidRank = (r: Row) => pageSlot(r.ctid)[0] * 1_000_000 + pageSlot(r.ctid)[1];
			expect(codeOrder(ctidRank)).not.toEqual(responseOrder(ctidRank));
			expect(codeOrder((r) => Number(r.xmin))).not.toEqual(responseOrder((r) => Number(r.xmin)));
		}
	});

	it('gives one ballot for a code however many use it at once, and one response', async () => {
		const waveId = await invitationWave();
		const [code] = await generateInvitations(t.db, waveId, 2, null);
		const resumes = await Promise.all(Array.from({ length: 10 }, () => useCode(waveId, code!)));
		const granted = resumes.filter((r): r is string => !!r);
		expect(granted).toHaveLength(1);
		for (const resume of granted) {
			await saveDraftAnswers(t.db, resume, { a: '3', b: '7' });
			expect((await submitDraft(waveId, resume)).ok).toBe(true);
		}
		expect(await useCode(waveId, code!)).toBeUndefined();
		const count = await t.db
			.selectFrom('survey_response')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('wave_id', '=', waveId)
			.executeTakeFirstOrThrow();
		expect(Number(count.n)).toBe(1);
	});

	it('keeps the ballot through a failed submission and returns the first receipt to a retry', async () => {
		const waveId = await invitationWave();
		const [code] = await generateInvitations(t.db, waveId, 1, null);
		const resume = await useCode(waveId, code!.toLowerCase());
		expect(resume).toBeDefined();
		await saveDraftAnswers(t.db, resume!, { a: '2', b: '4' });
		// the response's transaction dies half-way (a crash, a lost connection): nothing is kept
		await sql`create function ballot_test_crash() returns trigger language plpgsql as
			$$ begin raise exception 'crash'; end $$`.execute(t.db);
		await sql`create trigger ballot_test_crash before insert on survey_answer
			for each row execute function ballot_test_crash()`.execute(t.db);
		try {
			await expect(submitDraft(waveId, resume!)).rejects.toThrow();
		} finally {
			await sql`drop trigger ballot_test_crash on survey_answer`.execute(t.db);
			await sql`drop function ballot_test_crash()`.execute(t.db);
		}
		// the respondent comes back with the resume code (typed, from another browser): the ballot is there
		const typed = resume!.toLowerCase().replace(/-/g, ' ');
		const draft = await loadDraft(t.db, typed, waveId);
		expect(draft?.answers).toEqual({ a: '2', b: '4' });
		const first = await submitDraft(waveId, typed);
		expect(first.ok).toBe(true);
		// the acknowledgement was lost and the same submission comes again: the same receipt
		const again = await submitResponse(t.db, {
			waveId,
			versionId,
			unitId: null,
			mode: draft!.mode,
			submitKey: draft!.submitKey,
			answers: answersOf(4),
			draftCode: typed
		});
		expect(again).toEqual({ ...first, replay: true });
		expect(await useCode(waveId, code!)).toBeUndefined();
	});

	it('refuses a response to an invitation wave without a ballot', async () => {
		const waveId = await invitationWave();
		const resume = await startDraft(t.db, waveId);
		const draft = (await loadDraft(t.db, resume, waveId))!;
		const result = await submitResponse(t.db, {
			waveId,
			versionId,
			unitId: null,
			mode: 'web',
			submitKey: draft.submitKey,
			answers: answersOf(1),
			draftCode: resume
		});
		expect(result).toEqual({ ok: false, reason: 'invitation_used' });
		const count = await t.db
			.selectFrom('survey_response')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('wave_id', '=', waveId)
			.executeTakeFirstOrThrow();
		expect(Number(count.n)).toBe(0);
	});
});

describe.each(backends)('migration 010 on %s', (backend) => {
	let t: TestDb;
	beforeAll(async () => {
		t = await emptyDb(backend);
	});
	afterAll(async () => t?.close());

	it('forgets used codes, and gives a draft started with an unused code its ballot', async () => {
		const migrator = new Migrator({ db: t.db, provider: migrationProvider });
		const to009 = await migrator.migrateTo('2026-11-22-009-plans');
		expect(to009.error).toBeUndefined();
		await ensureAdminUnits(t.db);
		await ensureInstruments(t.db);
		const versionId = (await latestPublished(t.db, 'sipas'))!.id;
		// the tables as they were before migration 010
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		const db = t.db as unknown as Kysely<any>;
		const { id: waveId } = await db
			.insertInto('survey_wave')
			.values({
				slug: 'old',
				instrument_version_id: versionId,
				title_vi: 'Cũ',
				title_en: 'Old',
				access_mode: 'invitation',
				status: 'open'
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const codes = ['AAAA-AAAA-AAA1', 'AAAA-AAAA-AAA2', 'AAAA-AAAA-AAA3', 'AAAA-AAAA-AAA4'];
		const ids: number[] = [];
		for (const [i, code] of codes.entries()) {
			const row = await db
				.insertInto('invitation_code')
				.values({
					wave_id: waveId,
					code_hash: hashCode(code),
					batch: 1,
					used_at: i === 0 ? new Date('2026-12-01T08:13:14.123Z') : null
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			ids.push(row.id);
		}
		// two browsers started with code 2 (the newer one gets the ballot), none with code 3 or 4
		const draft = (name: string, invitation: number, updated: string) => ({
			code_hash: hashCode(name),
			wave_id: waveId,
			invitation_id: invitation,
			submit_key: `key-${name}`,
			updated_at: new Date(updated),
			expires_at: new Date(Date.now() + 86_400_000)
		});
		await db
			.insertInto('survey_draft')
			.values([
				draft('BBBB-BBBB-BBB1', ids[1]!, '2026-12-01T09:00:00Z'),
				draft('BBBB-BBBB-BBB2', ids[1]!, '2026-12-01T10:00:00Z')
			])
			.execute();

		expect(await migrateToLatest(t.db)).toContain('2026-12-06-010-ballots');
		const left = await t.db
			.selectFrom('invitation_code')
			.select('code_hash')
			.where('wave_id', '=', waveId)
			.execute();
		expect(left.map((r) => Buffer.from(r.code_hash).toString('hex')).sort()).toEqual(
			[codes[2]!, codes[3]!].map((c) => Buffer.from(hashCode(c)).toString('hex')).sort()
		);
		const drafts = await t.db
			.selectFrom('survey_draft')
			.select(['submit_key', 'ballot'])
			.orderBy('submit_key')
			.execute();
		expect(drafts).toEqual([
			{ submit_key: 'key-BBBB-BBBB-BBB1', ballot: false },
			{ submit_key: 'key-BBBB-BBBB-BBB2', ballot: true }
		]);
		expect(
			await t.db.selectFrom('invitation_tally').selectAll().where('wave_id', '=', waveId).execute()
		).toEqual([{ wave_id: waveId, batches: 1, issued: 4 }]);
	});
});
