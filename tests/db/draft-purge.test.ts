import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdminUnits } from '../../seeds/admin-units';
import { ensureInstruments } from '../../seeds/instruments';
import { startHousekeeping } from '$lib/server/housekeeping';
import {
	DRAFT_DAYS,
	purgeExpiredDrafts,
	saveDraftAnswers,
	startDraft
} from '$lib/server/surveys/drafts';
import { hashCode } from '$lib/server/surveys/codes';
import { latestPublished } from '$lib/server/surveys/instruments';
import { createWave, setWaveStatus } from '$lib/server/surveys/waves';
import { backends, migratedDb, type TestDb } from './harness';
import { unitInForce } from './places';

const DAY_MS = 86_400_000;

// The README promises that an abandoned questionnaire and its answers are gone after DRAFT_DAYS.
describe.each(backends)('survey drafts are purged on %s', (backend) => {
	let t: TestDb;
	let waveId: number;

	const draftsLeft = async (codes: string[]) =>
		(
			await t.db
				.selectFrom('survey_draft')
				.select('code_hash')
				.where(
					'code_hash',
					'in',
					codes.map((c) => hashCode(c))
				)
				.execute()
		).length;

	beforeAll(async () => {
		t = await migratedDb(backend);
		await ensureAdminUnits(t.db);
		await ensureInstruments(t.db);
		const version = (await latestPublished(t.db, 'sipas'))!.id;
		waveId = await createWave(
			t.db,
			{
				slug: 'purge',
				versionId: version,
				title: { vi: 'Đợt', en: 'Wave' },
				unitIds: [await unitInForce(t.db, '00913')]
			},
			null
		);
		await setWaveStatus(t.db, waveId, 'open', null);
	});
	afterAll(async () => t?.close());

	it('deletes drafts (with their answers) once DRAFT_DAYS have passed, and keeps fresh ones', async () => {
		const abandoned = await startDraft(t.db, waveId);
		const continued = await startDraft(t.db, waveId);
		await saveDraftAnswers(t.db, abandoned, { a: '4', c: 'Ý kiến riêng' });
		await saveDraftAnswers(t.db, continued, { a: '2' });
		// the second respondent came back five days later, which gave the draft five more days
		await t.db
			.updateTable('survey_draft')
			.set({ expires_at: new Date(Date.now() + (DRAFT_DAYS + 5) * DAY_MS) })
			.where('code_hash', '=', hashCode(continued))
			.execute();

		// a day before the end nothing goes
		const soon = new Date(Date.now() + (DRAFT_DAYS - 1) * DAY_MS);
		expect(await purgeExpiredDrafts(t.db, soon)).toBe(0);
		expect(await draftsLeft([abandoned, continued])).toBe(2);

		// a day after the end the abandoned draft goes, answers and all; the continued one stays
		const later = new Date(Date.now() + (DRAFT_DAYS + 1) * DAY_MS);
		expect(await purgeExpiredDrafts(t.db, later)).toBe(1);
		expect(await draftsLeft([abandoned])).toBe(0);
		expect(await draftsLeft([continued])).toBe(1);
		const answers = await sql<{ n: number }>`
			select count(*)::int as n from survey_draft where answers::text like '%Ý kiến riêng%'`.execute(
			t.db
		);
		expect(answers.rows[0]!.n).toBe(0);
	});

	it('is one of the hourly housekeeping chores', async () => {
		const expired = await startDraft(t.db, waveId);
		await t.db
			.updateTable('survey_draft')
			.set({ expires_at: new Date(Date.now() - DAY_MS) })
			.where('code_hash', '=', hashCode(expired))
			.execute();
		const chores = startHousekeeping(t.db, 3_600_000);
		try {
			await expect.poll(() => draftsLeft([expired]), { timeout: 10_000 }).toBe(0);
		} finally {
			await chores.stop();
		}
	});
});
