import { describe, expect, it } from 'vitest';
import { localPath } from '$lib/server/http/redirect';

const origin = 'https://congdan.example.vn';
const go = (next: unknown) => localPath(next, origin, '/home');

describe('the page to go to after a form', () => {
	it('keeps a path on this site, with its query and fragment', () => {
		expect(go('/officials/questions?state=overdue#q12')).toBe(
			'/officials/questions?state=overdue#q12'
		);
		expect(go('/')).toBe('/');
		expect(go('/a/../b')).toBe('/b');
	});

	it('encodes non-ASCII text, so the Location header is valid', () => {
		expect(go('/questions?q=thủ tục')).toBe('/questions?q=th%E1%BB%A7%20t%E1%BB%A5c');
		expect(go('/hỏi-đáp')).toBe('/h%E1%BB%8Fi-%C4%91%C3%A1p');
	});

	it('refuses what a browser would follow to another site', () => {
		for (const next of [
			'//evil.example',
			'/\t/evil.example',
			'/\n/evil.example',
			'/\r/x',
			'/\\evil.example',
			'/\\/evil.example',
			'\\\\evil.example',
			'/.//evil.example',
			'/%2e//evil.example',
			'https://evil.example/',
			'https:evil.example',
			'javascript:alert(1)',
			' /x',
			'x',
			'',
			'/\u0000',
			'/\u0085/evil.example',
			'/' + 'a'.repeat(2000)
		])
			expect(go(next), JSON.stringify(next)).toBe('/home');
	});

	it('refuses what is not text', () => {
		for (const next of [null, undefined, 42, ['/x'], new File([], '/x')])
			expect(go(next)).toBe('/home');
	});
});
