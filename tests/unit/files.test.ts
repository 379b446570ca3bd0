import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { safeFileName, sniff, type UploadLimits } from '$lib/server/files/sniff';
import { fileStore } from '$lib/server/files/store';
import { readUploads } from '$lib/server/files/uploads';

const bytes = (...parts: (number[] | string)[]): Uint8Array =>
	new Uint8Array(
		parts.flatMap((part) =>
			typeof part === 'string' ? Array.from(new TextEncoder().encode(part)) : part
		)
	);

const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'JFIF');
const PNG = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d], 'IHDR');
const WEBP = bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 ');
const PDF = bytes('%PDF-1.7\n%âãÏÓ\n');
const HTML = bytes('<!doctype html><script>alert(1)</script>');

const file = (content: Uint8Array, name: string, type = '') =>
	new File([content as Uint8Array<ArrayBuffer>], name, { type });

function form(...entries: (File | string)[]): FormData {
	const data = new FormData();
	for (const entry of entries) data.append('files', entry);
	return data;
}

describe('sniff', () => {
	it('knows each accepted type by its magic bytes', () => {
		expect(sniff(JPEG)).toBe('jpeg');
		expect(sniff(PNG)).toBe('png');
		expect(sniff(WEBP)).toBe('webp');
		expect(sniff(PDF)).toBe('pdf');
	});

	it('refuses text, HTML, SVG, a RIFF that is not WebP, and too few bytes', () => {
		expect(sniff(bytes('Xin chào, đây là văn bản.'))).toBeNull();
		expect(sniff(HTML)).toBeNull();
		expect(sniff(bytes('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'))).toBeNull();
		expect(sniff(bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt '))).toBeNull();
		expect(sniff(bytes(' %PDF-1.7'))).toBeNull();
		expect(sniff(bytes([0xff, 0xd8]))).toBeNull();
		expect(sniff(new Uint8Array())).toBeNull();
	});
});

describe('safeFileName', () => {
	it('keeps no path', () => {
		const name = safeFileName('../../etc/passwd', 'pdf');
		expect(name).toBe('passwd.pdf');
		expect(name).not.toContain('/');
		expect(name.startsWith('..')).toBe(false);
		expect(safeFileName('..\\..\\windows\\win.ini', 'png')).toBe('win.png');
		expect(safeFileName('..', 'png')).toBe('tep-dinh-kem.png');
	});

	it('keeps Vietnamese letters and forces the extension of the real type', () => {
		expect(safeFileName('Đơn đề nghị (bản 2).PDF', 'pdf')).toBe('Đơn đề nghị bản 2.pdf');
		expect(safeFileName('ảnh.jpeg', 'png')).toBe('ảnh.png');
		// decomposed input, as macOS sends it, comes out composed
		expect(safeFileName('Ha\u0300 No\u0323\u0302i.jpg', 'jpeg')).toBe('Hà Nội.jpg');
	});

	it('drops control characters, collapses spaces, cuts long names and falls back', () => {
		expect(safeFileName('a\u0000b\u202Egpj.exe', 'jpeg')).toBe('abgpj.jpg');
		expect(safeFileName('  a \t\n  b  .png', 'png')).toBe('a b.png');
		const long = safeFileName('x'.repeat(300) + '.pdf', 'pdf');
		expect(long).toBe('x'.repeat(100) + '.pdf');
		expect(safeFileName('', 'webp')).toBe('tep-dinh-kem.webp');
		expect(safeFileName('<>:"|?*', 'pdf')).toBe('tep-dinh-kem.pdf');
	});
});

describe('readUploads', () => {
	const small: UploadLimits = { maxFiles: 2, maxBytes: 10, kinds: ['jpeg', 'png', 'pdf'] };

	it('accepts by content, not by name or declared type', async () => {
		const { files, problems } = await readUploads(
			form(file(PDF, 'photo.jpg', 'image/jpeg')),
			'files'
		);
		expect(problems).toEqual([]);
		expect(files).toHaveLength(1);
		expect(files[0]).toMatchObject({ name: 'photo.pdf', kind: 'pdf', size: PDF.byteLength });
		expect(files[0].bytes).toEqual(PDF);
	});

	it('rejects HTML named as an image', async () => {
		const { files, problems } = await readUploads(form(file(HTML, 'x.png', 'image/png')), 'files');
		expect(files).toEqual([]);
		expect(problems).toEqual([{ code: 'type', name: 'x.png' }]);
	});

	it('rejects a real type the limits do not allow', async () => {
		const { problems } = await readUploads(form(file(WEBP, 'a.webp')), 'files', {
			...small,
			maxBytes: 100
		});
		expect(problems).toEqual([{ code: 'type', name: 'a.webp' }]);
	});

	it('reports too many files once', async () => {
		const { files, problems } = await readUploads(
			form(file(JPEG, 'a.jpg'), file(JPEG, 'b.jpg'), file(JPEG, 'c.jpg'), file(JPEG, 'd.jpg')),
			'files',
			{ ...small, maxBytes: 100 }
		);
		expect(problems).toEqual([{ code: 'too_many', name: '' }]);
		expect(files.map((f) => f.name)).toEqual(['a.jpg', 'b.jpg']);
	});

	it('rejects a file over the size limit without reading it', async () => {
		const big = file(new Uint8Array(small.maxBytes + 1), 'big.png');
		let read = false;
		big.arrayBuffer = () => {
			read = true;
			throw new Error('must not be read');
		};
		const { files, problems } = await readUploads(form(big), 'files', small);
		expect(files).toEqual([]);
		expect(problems).toEqual([{ code: 'too_large', name: 'big.png' }]);
		expect(read).toBe(false);
	});

	it('ignores the entry of an empty file input and text fields, but not a named empty file', async () => {
		expect(await readUploads(form(file(new Uint8Array(), ''), 'text'), 'files')).toEqual({
			files: [],
			problems: []
		});
		expect(await readUploads(new FormData(), 'files')).toEqual({ files: [], problems: [] });
		const { problems } = await readUploads(form(file(new Uint8Array(), 'trống.pdf')), 'files');
		expect(problems).toEqual([{ code: 'empty', name: 'trống.pdf' }]);
	});

	it('cleans the names it reports', async () => {
		const { problems } = await readUploads(form(file(HTML, '../../a<b>.html')), 'files');
		expect(problems).toEqual([{ code: 'type', name: 'a b.html' }]);
	});
});

describe('fileStore', () => {
	let dir: string;
	beforeEach(async () => {
		dir = await mkdtemp(join(tmpdir(), 'civic-files-'));
	});
	afterEach(async () => {
		await rm(dir, { recursive: true, force: true });
	});

	it('stores by SHA-256 and gives the same bytes back', async () => {
		const store = fileStore(dir);
		const hash = await store.put(PDF);
		expect(hash).toMatch(/^[0-9a-f]{64}$/);
		expect(await store.has(hash)).toBe(true);
		expect(await store.get(hash)).toEqual(PDF);
		expect(await readdir(join(dir, hash.slice(0, 2)))).toEqual([hash]);
	});

	it('keeps the same content once', async () => {
		const store = fileStore(dir);
		const first = await store.put(JPEG);
		const second = await store.put(new Uint8Array(JPEG));
		expect(second).toBe(first);
		expect(await readdir(dir)).toEqual([first.slice(0, 2)]);
		expect(await readdir(join(dir, first.slice(0, 2)))).toEqual([first]);
		const both = await Promise.all([store.put(PNG), store.put(PNG)]);
		expect(both[0]).toBe(both[1]);
		expect(await readdir(join(dir, both[0].slice(0, 2)))).toContain(both[0]);
	});

	it('answers null for anything that is not a stored hash', async () => {
		const store = fileStore(dir);
		expect(await store.get('../x')).toBeNull();
		expect(await store.get('abc')).toBeNull();
		expect(await store.get('A'.repeat(64))).toBeNull();
		expect(await store.get(`../../${'a'.repeat(58)}`)).toBeNull();
		expect(await store.get('0'.repeat(64))).toBeNull();
		expect(await store.has('0'.repeat(64))).toBe(false);
		expect(await store.has('../x')).toBe(false);
	});
});
