import { describe, expect, it } from 'vitest';
import { MARKDOWN_MAX_LENGTH, markdownToText, renderMarkdown } from '$lib/server/markdown';

const REL = 'rel="nofollow noopener noreferrer"';

describe('renderMarkdown: raw HTML', () => {
	it('escapes a script tag instead of rendering it', () => {
		const html = renderMarkdown('<script>alert(1)</script>');
		expect(html).not.toContain('<script');
		expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
	});

	it('escapes an img tag with an event handler', () => {
		const html = renderMarkdown('<img src=x onerror=alert(1)>');
		expect(html).not.toContain('<img');
		expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
	});

	it('escapes inline HTML inside a paragraph', () => {
		const html = renderMarkdown('Xin chào <b onclick="x()">bạn</b>');
		expect(html).not.toContain('<b');
		expect(html).toContain('&lt;b onclick=&quot;x()&quot;&gt;bạn&lt;/b&gt;');
	});
});

describe('renderMarkdown: links', () => {
	it('does not link javascript: URLs', () => {
		const html = renderMarkdown('[x](javascript:alert(1))');
		expect(html).not.toContain('<a');
		expect(html).not.toMatch(/href\s*=\s*["']?\s*javascript/i);
	});

	it('does not link javascript: autolinks, data: URLs or reference definitions', () => {
		for (const source of [
			'<javascript:alert(1)>',
			'[x](JavaScript:alert(1))',
			'[x](data:text/html;base64,PHNjcmlwdD4=)',
			'[x](vbscript:msgbox(1))',
			'[x]: javascript:alert(1)\n\n[y][x]'
		]) {
			expect(renderMarkdown(source), source).not.toContain('href');
		}
	});

	it('does not link protocol-relative URLs to other hosts', () => {
		expect(renderMarkdown('[x](//evil.example/a)')).not.toContain('href');
	});

	it('renders an https link with rel and without target', () => {
		const html = renderMarkdown(
			'Xem [Luật Đất đai 2024](https://thuvienphapluat.vn/van-ban/Bat-dong-san/Luat-Dat-dai-2024-31-2024-QH15-523642.aspx).'
		);
		expect(html).toContain(
			`<a href="https://thuvienphapluat.vn/van-ban/Bat-dong-san/Luat-Dat-dai-2024-31-2024-QH15-523642.aspx" ${REL}>Luật Đất đai 2024</a>`
		);
		expect(html).not.toContain('target=');
	});

	it('allows http, mailto and paths into the portal', () => {
		expect(renderMarkdown('[a](http://example.vn/a)')).toContain(
			`<a href="http://example.vn/a" ${REL}>a</a>`
		);
		expect(renderMarkdown('[thư](mailto:lienhe@ubnd.gov.vn)')).toContain(
			`<a href="mailto:lienhe@ubnd.gov.vn" ${REL}>thư</a>`
		);
		expect(renderMarkdown('[câu hỏi](/hoi-dap/42)')).toContain(
			`<a href="/hoi-dap/42" ${REL}>câu hỏi</a>`
		);
	});

	it('linkifies a bare URL', () => {
		const html = renderMarkdown(
			'Tra cứu tại https://dichvucong.gov.vn/p/home/dvc-trang-chu.html nhé'
		);
		expect(html).toContain(
			`<a href="https://dichvucong.gov.vn/p/home/dvc-trang-chu.html" ${REL}>https://dichvucong.gov.vn/p/home/dvc-trang-chu.html</a>`
		);
	});
});

describe('renderMarkdown: allowed constructs', () => {
	it('renders # and ## as h3, deeper headings as h4', () => {
		expect(renderMarkdown('# Title')).toBe('<h3>Title</h3>\n');
		expect(renderMarkdown('## Mục')).toBe('<h3>Mục</h3>\n');
		expect(renderMarkdown('### Điều 1')).toBe('<h4>Điều 1</h4>\n');
		expect(renderMarkdown('###### Khoản')).toBe('<h4>Khoản</h4>\n');
		expect(renderMarkdown('Tiêu đề\n===')).toBe('<h3>Tiêu đề</h3>\n');
		expect(renderMarkdown('# A\n## B\n### C')).not.toMatch(/<\/?h[1256]/);
	});

	it('renders bullet and ordered lists', () => {
		const html = renderMarkdown('- một\n- hai\n\n1. ba\n2. bốn');
		expect(html).toContain('<ul>\n<li>một</li>\n<li>hai</li>\n</ul>');
		expect(html).toContain('<ol>\n<li>ba</li>\n<li>bốn</li>\n</ol>');
	});

	it('renders emphasis, strikethrough, inline code, blockquotes and line breaks', () => {
		const html = renderMarkdown('> trích dẫn\n\n**đậm** *nghiêng* ~~cũ~~ `mã`\ndòng sau');
		expect(html).toContain('<blockquote>\n<p>trích dẫn</p>\n</blockquote>');
		expect(html).toContain(
			'<p><strong>đậm</strong> <em>nghiêng</em> <s>cũ</s> <code>mã</code><br>\ndòng sau</p>'
		);
	});

	it('passes Vietnamese text with diacritics through intact', () => {
		const text =
			'Người dân phản ánh về việc cấp Giấy chứng nhận quyền sử dụng đất ở phường Hòa Khánh.';
		expect(renderMarkdown(text)).toBe(`<p>${text}</p>\n`);
		expect(renderMarkdown(text.normalize('NFD'))).toBe(`<p>${text.normalize('NFD')}</p>\n`);
	});
});

describe('renderMarkdown: disabled constructs', () => {
	it('renders no image', () => {
		const html = renderMarkdown('![a](https://e.x/a.png)');
		expect(html).not.toContain('<img');
	});

	it('renders no table', () => {
		const html = renderMarkdown('| Cột | Giá trị |\n| --- | --- |\n| a | 1 |');
		expect(html).not.toContain('<table');
		expect(html).toContain('| Cột | Giá trị |');
	});

	it('renders no code block, fenced or indented', () => {
		expect(renderMarkdown('```js\nalert(1)\n```')).not.toContain('<pre');
		expect(renderMarkdown('~~~\ncode\n~~~')).not.toContain('<pre');
		expect(renderMarkdown('Đoạn văn\n\n    thụt lề')).not.toContain('<pre');
	});

	it('renders no horizontal rule', () => {
		expect(renderMarkdown('a\n\n---\n\nb')).not.toContain('<hr');
		expect(renderMarkdown('***')).not.toContain('<hr');
	});
});

describe('renderMarkdown: input', () => {
	it('trims the source', () => {
		expect(renderMarkdown('  \n\n  # Title\n\n  ')).toBe('<h3>Title</h3>\n');
		expect(renderMarkdown('   ')).toBe('');
	});

	it('caps the source at MARKDOWN_MAX_LENGTH characters', () => {
		expect(MARKDOWN_MAX_LENGTH).toBe(20_000);
		const html = renderMarkdown('a'.repeat(MARKDOWN_MAX_LENGTH) + 'TAIL');
		expect(html).toBe(`<p>${'a'.repeat(MARKDOWN_MAX_LENGTH)}</p>\n`);
	});
});

describe('markdownToText', () => {
	it('returns the literal text without markup', () => {
		expect(markdownToText('**Đất** & <b>')).toBe('Đất & <b>');
	});

	it('decodes the basic entities once, not twice', () => {
		expect(markdownToText('"a" \'b\' &amp;lt;')).toBe('"a" \'b\' &lt;');
	});

	it('keeps blocks on lines of their own and drops link markup', () => {
		expect(
			markdownToText('# Trả lời\n\nXem [luật](https://thuvienphapluat.vn/a).\n\n- một\n- hai')
		).toBe('Trả lời\nXem luật.\nmột\nhai');
	});
});
