import { describe, expect, it } from 'vitest';
import { calendarOf } from '$lib/deadlines/working-days';
import { foldVietnamese, searchTerms, tsQuery } from '$lib/questions/search';
import { agencyStats, median, type Turn } from '$lib/questions/stats';
import { atomFeed } from '$lib/server/feeds/atom';
import { parseFields } from '$lib/server/forms/parse';
import { askSchema } from '$lib/server/questions/ask-form';

describe('accent-insensitive search', () => {
	it('folds Vietnamese to plain letters, đ included, whatever the Unicode form', () => {
		expect(foldVietnamese('Thủ tục ĐẤT ĐAI')).toBe('thu tuc dat dai');
		expect(foldVietnamese('Thủ tục'.normalize('NFD'))).toBe('thu tuc');
		expect(foldVietnamese('Người ở Hà Giang, năm 2026!')).toBe('nguoi o ha giang nam 2026');
	});

	it('makes a safe tsquery of the words: all of them, or any, the last as a prefix', () => {
		expect(searchTerms("thủ tục & đất' | (đai)")).toEqual(['thu', 'tuc', 'dat', 'dai']);
		expect(tsQuery(['thu', 'tuc'], 'all')).toBe('thu & tuc:*');
		expect(tsQuery(['thu', 'tuc'], 'any')).toBe('thu | tuc:*');
		expect(tsQuery(searchTerms('  !!! '), 'all')).toBeNull();
		expect(searchTerms('a '.repeat(100) + 'b c d e f g h i j k l m n')).toHaveLength(12);
	});
});

describe('per-agency statistics (Decision 766)', () => {
	const calendar = calendarOf([]);
	const at = (d: string) => new Date(`${d}T03:00:00Z`);
	const turn = (over: Partial<Turn>): Turn => ({
		agencyId: 1,
		questionId: 1,
		state: 'answered',
		assignedAt: at('2026-12-01'),
		answeredAt: at('2026-12-03'),
		dueOn: '2026-12-08',
		onTime: true,
		rating: null,
		...over
	});

	it('computes the median of an odd and an even count, and none of nothing', () => {
		expect(median([5, 1, 3])).toBe(3);
		expect(median([4, 1, 3, 2])).toBe(2.5);
		expect(median([])).toBeNull();
	});

	it('judges answered and overdue cases, leaving fresh open ones out', () => {
		const [s] = agencyStats(
			[
				turn({ questionId: 1, rating: 'satisfied' }),
				turn({ questionId: 2, onTime: false, answeredAt: at('2026-12-10'), rating: 'satisfied' }),
				turn({ questionId: 3, rating: 'unsatisfied' }),
				turn({
					questionId: 4,
					state: 'active',
					answeredAt: null,
					onTime: null,
					dueOn: '2026-12-08'
				}),
				turn({
					questionId: 5,
					state: 'active',
					answeredAt: null,
					onTime: null,
					dueOn: '2026-12-20'
				}),
				turn({ questionId: 6, state: 'transferred', answeredAt: null, onTime: null })
			],
			at('2026-12-14'),
			calendar
		);
		expect(s).toMatchObject({ received: 6, answered: 3, answeredOnTime: 2, overdue: 1 });
		// on time: 2 of (3 answered + 1 overdue)
		expect(s!.onTimeRatio).toBeCloseTo(2 / 4);
		// satisfaction: (4 − 2 late − 1 unsatisfied) / 4, with its counts for the monthly figures
		expect(s!.satisfactionRatio).toBeCloseTo(1 / 4);
		expect(s).toMatchObject({ judged: 4, judgedSatisfied: 1 });
		expect(s!.satisfied).toBe(2);
		expect(s!.rated).toBe(3);
		// 2, 7 and 2 working days
		expect(s!.medianDays).toBe(2);
	});
});

describe('the Atom feed', () => {
	it('escapes markup and drops characters XML forbids', () => {
		const xml = atomFeed({
			id: 'https://x.vn/questions',
			title: 'Hỏi đáp',
			self: 'https://x.vn/questions/feed.xml',
			entries: [
				{
					id: 'https://x.vn/questions/HD-1#reply-1',
					title: '<script>alert(1)</script> & "đất"',
					link: 'https://x.vn/questions/HD-1',
					updated: new Date('2026-11-22T00:00:00Z'),
					author: 'Cơ quan A',
					summary: 'Nội dung\u0000 trả lời'
				}
			]
		});
		expect(xml).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;đất&quot;');
		expect(xml).not.toContain('<script>');
		expect(xml).not.toContain('\u0000');
		expect(xml).toContain('<updated>2026-11-22T00:00:00.000Z</updated>');
	});
});

describe('the ask form through its schema', () => {
	const choices = {
		topics: [{ value: 'dat-dai' }],
		units: [{ value: '7' }],
		agencies: [{ value: '3' }]
	};
	const post = (fields: Record<string, string>) => {
		const form = new FormData();
		for (const [k, v] of Object.entries(fields)) form.set(k, v);
		return parseFields(askSchema(choices), form);
	};
	const text = {
		title: 'Thủ tục tách thửa đất ở xã',
		body: 'Xin hỏi tách thửa đất cần những giấy tờ gì?'
	};

	it('says in Vietnamese which choice is missing when a field is not posted at all', () => {
		expect(post(text)).toEqual({
			errors: {
				topic: 'Vui lòng chọn lĩnh vực của câu hỏi.',
				unit: 'Vui lòng chọn địa bàn (xã, phường) của câu hỏi.'
			}
		});
		expect(post({ topic: 'dat-dai', unit: '7' })).toEqual({
			errors: { title: 'Vui lòng nhập thông tin này.', body: 'Vui lòng nhập thông tin này.' }
		});
	});

	it('refuses a value not in the lists in the same words, and accepts a full question', () => {
		const refused = post({ ...text, topic: 'khong-co', unit: '99', agency: '42' });
		expect(refused).toEqual({
			errors: {
				topic: 'Vui lòng chọn lĩnh vực của câu hỏi.',
				unit: 'Vui lòng chọn địa bàn (xã, phường) của câu hỏi.',
				agency: 'Vui lòng chọn một cơ quan trong danh sách, hoặc để trống nếu chưa rõ.'
			}
		});
		const sent = post({ ...text, topic: 'dat-dai', unit: '7' });
		expect(sent).toMatchObject({ data: { topic: 'dat-dai', unit: 7, agency: null } });
	});
});
