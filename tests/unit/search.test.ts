import { describe, expect, it } from 'vitest';
import { groupTsQuery, queryGroups, requiredWeight, synonymIndex } from '$lib/questions/search';

const synonyms = synonymIndex([
	['sổ đỏ', 'giấy chứng nhận quyền sử dụng đất', 'GCNQSDĐ'],
	['hộ khẩu', 'cư trú'],
	['CCCD', 'căn cước công dân'],
	['Cư trú', 'thường trú']
]);
const none = synonymIndex([]);
const phrases = (text: string, index = synonyms) =>
	queryGroups(text, index).map((g) => g.alternatives.map((a) => a.join(' ')));

describe('the synonym list', () => {
	it('folds every term, đ included, and lets each stand for the others of its group', () => {
		expect(synonyms.terms.get('gcnqsdd')?.map((a) => a.join(' '))).toEqual([
			'so do',
			'giay chung nhan quyen su dung dat',
			'gcnqsdd'
		]);
		expect(synonyms.longest).toBe(7);
	});

	it('joins the groups that share a term (cư trú is in two)', () => {
		const all = ['ho khau', 'cu tru', 'thuong tru'];
		expect(synonyms.terms.get('ho khau')?.map((a) => a.join(' '))).toEqual(all);
		expect(synonyms.terms.get('thuong tru')?.map((a) => a.join(' '))).toEqual(all);
		expect(synonymIndex([['a b'], ['c', 'C']]).terms.size).toBe(0);
	});
});

describe('what a query asks for', () => {
	it('finds the phrases of the list in a query typed without accents', () => {
		expect(phrases('thoi gian cap so do')).toEqual([
			['thoi'],
			['gian'],
			['cap'],
			['so do', 'giay chung nhan quyen su dung dat', 'gcnqsdd']
		]);
	});

	it('prefers the longest phrase, and reads the official term as the colloquial one', () => {
		const groups = queryGroups('Cấp Giấy chứng nhận quyền sử dụng đất lần đầu', synonyms);
		expect(groups.map((g) => g.weight)).toEqual([1, 2, 1, 1]);
		expect(groups.map((g) => g.named)).toEqual([false, true, false, false]);
		expect(groups[1]!.alternatives.map((a) => a.join(' '))).toContain('so do');
	});

	it('drops filler words unless nothing else is left, and repeated words', () => {
		// "hỏi" stays: without accents it is also "hội" (hội đồng)
		expect(phrases('Xin hỏi làm CCCD ở đâu là gì ạ? làm', none)).toEqual([
			['hoi'],
			['lam'],
			['cccd'],
			['o'],
			['dau']
		]);
		expect(phrases('là gì', none)).toEqual([['la'], ['gi']]);
		expect(phrases('  !!! ', none)).toEqual([]);
	});

	it('lets the last word match as a prefix, never a phrase of the list', () => {
		expect(queryGroups('thu tuc dat', none).map(groupTsQuery)).toEqual(['thu', 'tuc', 'dat:*']);
		expect(queryGroups('lam ho khau', synonyms).map(groupTsQuery)).toEqual([
			'lam',
			'(ho <-> khau | cu <-> tru | thuong <-> tru)'
		]);
	});

	it('keeps a query within bounds: a dozen groups, no word over 40 letters, only letters and digits', () => {
		const long = Array.from({ length: 30 }, (_, i) => `tu${i}`).join(' ');
		expect(queryGroups(long, none)).toHaveLength(12);
		expect(queryGroups(long, none, 24)).toHaveLength(24);
		expect(phrases(`${'x'.repeat(41)} ok`, none)).toEqual([['ok']]);
		const q = queryGroups("so đỏ' | (&) <-> !x:*", synonyms).map(groupTsQuery).join(' ');
		expect(q).toBe(
			'(so <-> do | giay <-> chung <-> nhan <-> quyen <-> su <-> dung <-> dat | gcnqsdd) x:*'
		);
	});
});

describe('how much of a query a text must hold', () => {
	const weights = (text: string) => requiredWeight(queryGroups(text, synonyms), 0.5);
	it('all of one or two groups', () => {
		expect(weights('so do')).toBe(2);
		expect(weights('cap so do')).toBe(3);
	});
	it('more than half of longer queries', () => {
		// thoi, gian, cap, so do: cấp + sổ đỏ (3 of 5) is enough, thủ tục alone (2 of 4) is not
		expect(weights('thoi gian cap so do')).toBe(3);
		expect(weights('thu tuc ho chieu')).toBe(3);
		expect(requiredWeight(queryGroups('a1 a2 a3 a4 a5 a6 a7 a8 a9 a10', synonyms), 0.3)).toBe(4);
	});
});
