import { addDays, vietnamDate } from '../src/lib/deadlines/working-days';
import { config } from '../src/lib/server/config';
import type { Db } from '../src/lib/server/db';
import { dossierCodeHash } from '../src/lib/server/dossiers/codes';
import { loadSharedSecret } from '../src/lib/server/security/rate-limit';
import { addMonths, currentMonth, firstDay } from '../src/lib/service-index/figures';
import { seededRandom } from './synthetic';

/**
 * The demo's one-stop shops' dossiers and citizens' ratings of them for this month and the two
 * before, so the Decision 766 page (/service-quality) shows real figures: a few dozen dossiers
 * a month for each shop, mostly on time, some online, some rated (this month both shops have
 * fewer than k ratings, to show suppression, and together at least k, so that no one else's
 * figure must be hidden to protect them). Deterministic for a given day; codes hashed as
 * imported ones are (DEMO-… codes, not printed anywhere).
 */
const SHOPS = [
	{
		slug: 'trung-tam-phuc-vu-hcc',
		fields: ['Đất đai', 'Đầu tư', 'Tư pháp'],
		perMonth: 36,
		// ratings in the month before last, last month, this month
		ratings: [14, 16, 6]
	},
	{
		slug: 'mot-cua-xa-vi-xuyen',
		fields: ['Hộ tịch', 'Chứng thực', 'Đất đai'],
		perMonth: 24,
		ratings: [11, 12, 5]
	}
];

const PROCEDURES: Record<string, string> = {
	'Đất đai': 'Đăng ký biến động quyền sử dụng đất',
	'Đầu tư': 'Điều chỉnh giấy chứng nhận đăng ký đầu tư',
	'Tư pháp': 'Cấp phiếu lý lịch tư pháp',
	'Hộ tịch': 'Đăng ký khai sinh',
	'Chứng thực': 'Chứng thực bản sao từ bản chính'
};

export async function seedDemoDossiers(
	trx: Db,
	agencyId: (slug: string) => number,
	now = new Date()
): Promise<void> {
	const secret = config().appSecret ?? (await loadSharedSecret(trx));
	const today = vietnamDate(now);
	const random = seededRandom(766);
	const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
	for (const shop of SHOPS) {
		const agency = agencyId(shop.slug);
		const dossiers: {
			code: string;
			field: string;
			received: string;
			due: string;
			completed: string | null;
			channel: 'online' | 'offline';
		}[] = [];
		for (let back = 2; back >= 0; back--) {
			const month = addMonths(currentMonth(now), -back);
			for (let i = 0; i < shop.perMonth; i++) {
				const received = addDays(firstDay(month), Math.floor(random() * 27));
				if (received > today) continue;
				const span = 3 + Math.floor(random() * 8);
				const due = addDays(received, span);
				const done =
					random() < 0.12
						? addDays(due, 1 + Math.floor(random() * 5))
						: addDays(received, Math.floor(random() * (span + 1)));
				dossiers.push({
					code: `DEMO-${shop.slug.toUpperCase()}-${month}-${i + 1}`,
					field: pick(shop.fields),
					received,
					due,
					completed: done <= today ? done : null,
					channel: random() < 0.45 ? 'online' : 'offline'
				});
			}
		}
		const batch = await trx
			.insertInto('dossier_import')
			.values({
				agency_id: agency,
				source: 'csv',
				user_id: null,
				token_id: null,
				created: dossiers.length,
				updated: 0
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		// each month's ratings go to dossiers completed by then and not yet rated (a dossier
		// completed last month may be rated this month)
		const rated = new Map<string, string>();
		shop.ratings.forEach((count, slot) => {
			const month = addMonths(currentMonth(now), slot - 2);
			const end = firstDay(addMonths(month, 1));
			dossiers
				.filter((d) => d.completed !== null && d.completed < end && !rated.has(d.code))
				.slice(0, count)
				.forEach((d) => rated.set(d.code, firstDay(month)));
		});
		await trx
			.insertInto('dossier')
			.values(
				dossiers.map((d) => ({
					code_hash: dossierCodeHash(d.code, secret),
					agency_id: agency,
					procedure: PROCEDURES[d.field]!,
					field: d.field,
					received_on: d.received,
					due_on: d.due,
					completed_on: d.completed,
					channel: d.channel,
					import_id: batch.id,
					rated: rated.has(d.code)
				}))
			)
			.execute();
		const ratings = dossiers.filter((d) => rated.has(d.code));
		if (ratings.length === 0) continue;
		await trx
			.insertInto('dossier_rating')
			.values(
				ratings.map((d) => {
					const overall = pick([5, 5, 4, 4, 4, 3, 3, 2, 1]);
					return {
						agency_id: agency,
						field: d.field,
						channel: d.channel,
						month: rated.get(d.code)!,
						overall,
						attitude: Math.min(5, overall + (random() < 0.3 ? 1 : 0)),
						harassed: random() < 0.05,
						timeliness: pick(['early', 'on_time', 'on_time', 'late'] as const),
						visits: pick([1, 1, 1, 2, 2, 3]),
						waiting_minutes: 5 + Math.floor(random() * 40),
						transparency: pick([3, 4, 4, 5])
					};
				})
			)
			.execute();
	}
}
