import { describe, expect, it } from 'vitest';
import {
	ATTACHMENT_LIMITS,
	DISCLOSURE_LIMITS,
	MIME,
	TEXT_SNIFF_BYTES,
	safeFileName,
	sniff,
	type UploadLimits
} from '$lib/server/files/sniff';
import { readUploads } from '$lib/server/files/uploads';
import { officeDataIntact, ZIP_LIMITS } from '$lib/server/files/zip';
import { uploadProblemMessage } from '$lib/server/disclosures/messages';
import {
	contentTypes,
	docx,
	docxParts,
	SHEET_MAIN,
	WORD_MAIN,
	xlsx,
	xlsxParts,
	zip,
	type ZipPart
} from './office-fixtures';

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

describe('disclosure files', () => {
	// Real minimal Office documents, and plain ZIPs of the named files.
	const XLSX = xlsx();
	const DOCX = docx();
	const plainZip = (...names: string[]) => zip(names.map((name) => ({ name, data: name })));
	const CSV = bytes('Xã,Hạng mục,Dự toán (đồng)\r\nPhường Đông Ba,Đường nội thị,1.250.000.000\r\n');
	const ELF = bytes([0x7f], 'ELF,x\n');

	it('knows a workbook and a Word document inside a ZIP, and nothing else in one', () => {
		expect(sniff(XLSX)).toBe('xlsx');
		expect(sniff(DOCX)).toBe('docx');
		expect(sniff(plainZip('readme.txt', 'src/main.c'))).toBeNull();
		expect(sniff(plainZip('META-INF/MANIFEST.MF', 'com/example/Main.class'))).toBeNull();
		expect(sniff(plainZip('AndroidManifest.xml', 'classes.dex'))).toBeNull();
		// the part name must be inside a ZIP, and the ZIP magic must come first
		expect(sniff(bytes('xl/workbook.xml'), { text: true })).toBe('csv');
		expect(sniff(bytes(' PK', [3, 4], 'xl/workbook.xml'))).toBeNull();
		expect(sniff(XLSX.subarray(1))).toBeNull();
	});

	it('refuses executables, whatever follows the magic', () => {
		for (const magic of [
			[0x4d, 0x5a],
			[0x7f, 0x45, 0x4c, 0x46],
			[0xfe, 0xed, 0xfa, 0xce],
			[0xfe, 0xed, 0xfa, 0xcf],
			[0xce, 0xfa, 0xed, 0xfe],
			[0xcf, 0xfa, 0xed, 0xfe],
			[0xca, 0xfe, 0xba, 0xbe]
		]) {
			expect(sniff(bytes(magic, 'a,b\n%PDF-1.7'), { text: true })).toBeNull();
		}
	});

	it('takes text as CSV only when asked to', () => {
		expect(sniff(CSV)).toBeNull();
		expect(sniff(CSV, { text: true })).toBe('csv');
		expect(sniff(bytes([0xef, 0xbb, 0xbf], 'a;b\n1;2\n'), { text: true })).toBe('csv');
		expect(sniff(bytes('a\tb\n1\t2'), { text: true })).toBe('csv');
		// the known binary kinds still win
		expect(sniff(PDF, { text: true })).toBe('pdf');
		expect(sniff(new Uint8Array(), { text: true })).toBeNull();
	});

	it('does not take markup, JSON, scripts, controls or other encodings for CSV', () => {
		for (const text of [
			bytes('  \n<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
			bytes('<?xml version="1.0"?><a/>'),
			bytes([0xef, 0xbb, 0xbf], '\t<html>'),
			bytes('{"a": 1}'),
			bytes('\r\n[1, 2]'),
			bytes('#!/usr/bin/env node\n'),
			bytes('a,b\n1,', [0], '2\n'),
			bytes('a,b\n1,', [0x1b], '[31m2\n'),
			bytes('a,b\n', [0x1a]),
			// UTF-16 (Excel's "Unicode text"), and Windows-1258 (legacy Excel CSV)
			bytes([0xff, 0xfe, 0x61, 0, 0x2c, 0, 0x62, 0]),
			bytes('H', [0xe0], ' N', [0xf4, 0xf2], 'i\n')
		]) {
			expect(sniff(text, { text: true })).toBeNull();
		}
	});

	it('reads only the first 64 KB to decide that a file is text', () => {
		const filler = 'a,b\n'.repeat(TEXT_SNIFF_BYTES / 4);
		// a character cut in two by the window does not make the text invalid
		const cut = bytes(filler.slice(1), 'ệ,x\n');
		expect(cut.subarray(0, TEXT_SNIFF_BYTES).at(-1)).toBeGreaterThanOrEqual(0x80);
		expect(sniff(cut, { text: true })).toBe('csv');
		expect(sniff(bytes(filler, [0]), { text: true })).toBe('csv');
		expect(sniff(bytes(filler.slice(4), [0]), { text: true })).toBeNull();
		expect(sniff(bytes(filler.slice(4), [0xff]), { text: true })).toBeNull();
	});

	it('gives the new kinds their MIME type and extension', () => {
		expect(MIME.xlsx).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
		expect(MIME.docx).toBe(
			'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
		);
		expect(MIME.csv).toBe('text/csv; charset=utf-8');
		expect(safeFileName('Bảng giá đất 2025.xls', 'xlsx')).toBe('Bảng giá đất 2025.xlsx');
		expect(safeFileName('Quyết định.doc', 'docx')).toBe('Quyết định.docx');
		expect(safeFileName('ngan-sach.CSV', 'csv')).toBe('ngan-sach.csv');
		expect(safeFileName('..', 'csv')).toBe('tep-dinh-kem.csv');
	});

	it('accepts Office documents by content with the disclosure limits only', async () => {
		const { files, problems } = await readUploads(
			form(file(XLSX, 'bang-gia-dat.pdf'), file(DOCX, 'quyet-dinh.docx')),
			'files',
			DISCLOSURE_LIMITS
		);
		expect(problems).toEqual([]);
		expect(files.map((f) => [f.name, f.kind])).toEqual([
			['bang-gia-dat.xlsx', 'xlsx'],
			['quyet-dinh.docx', 'docx']
		]);
		const refused = await readUploads(form(file(XLSX, 'bang-gia-dat.xlsx')), 'files');
		expect(refused).toEqual({ files: [], problems: [{ code: 'type', name: 'bang-gia-dat.xlsx' }] });
		const plain = await readUploads(
			form(file(plainZip('a.txt'), 'bao-cao.docx')),
			'files',
			DISCLOSURE_LIMITS
		);
		expect(plain.problems).toEqual([{ code: 'type', name: 'bao-cao.docx' }]);
	});

	it('refuses executables whatever their name', async () => {
		const { files, problems } = await readUploads(
			form(
				file(bytes('MZ', [0x90, 0, 3, 0], 'This program cannot be run in DOS mode'), 'bao-cao.pdf'),
				file(ELF, 'ngan-sach.csv'),
				file(bytes('MZ,cot\n1,2\n'), 'x.csv')
			),
			'files',
			DISCLOSURE_LIMITS
		);
		expect(files).toEqual([]);
		expect(problems).toEqual([
			{ code: 'type', name: 'bao-cao.pdf' },
			{ code: 'type', name: 'ngan-sach.csv' },
			{ code: 'type', name: 'x.csv' }
		]);
	});

	it('accepts UTF-8 text named .csv where CSV is allowed', async () => {
		const { files, problems } = await readUploads(
			form(file(CSV, 'ngan-sach.csv', 'application/vnd.ms-excel'), file(CSV, 'KE-HOACH.CSV')),
			'files',
			DISCLOSURE_LIMITS
		);
		expect(problems).toEqual([]);
		expect(files).toHaveLength(2);
		expect(files[0]).toMatchObject({ name: 'ngan-sach.csv', kind: 'csv', size: CSV.byteLength });
		expect(files[0].bytes).toEqual(CSV);
		expect(files[1]).toMatchObject({ name: 'KE-HOACH.csv', kind: 'csv' });
	});

	it('refuses the same text where CSV is not allowed or the name is not .csv', async () => {
		expect(await readUploads(form(file(CSV, 'ngan-sach.csv')), 'files', ATTACHMENT_LIMITS)).toEqual(
			{ files: [], problems: [{ code: 'type', name: 'ngan-sach.csv' }] }
		);
		const { files, problems } = await readUploads(
			form(
				file(CSV, 'ngan-sach.pdf'),
				file(CSV, 'ngan-sach.txt', 'text/csv'),
				file(CSV, 'ngan-sach.csv.exe')
			),
			'files',
			DISCLOSURE_LIMITS
		);
		expect(files).toEqual([]);
		expect(problems).toEqual([
			{ code: 'type', name: 'ngan-sach.pdf' },
			{ code: 'type', name: 'ngan-sach.txt' },
			{ code: 'type', name: 'ngan-sach.csv.exe' }
		]);
	});

	it('refuses HTML, a script and invalid UTF-8 named .csv', async () => {
		const { files, problems } = await readUploads(
			form(
				file(HTML, 'x.csv'),
				file(bytes('#!/bin/sh\nrm -rf /\n'), 'x.csv'),
				file(bytes('a,b\n', [0xc3, 0x28], '\n'), 'x.csv')
			),
			'files',
			DISCLOSURE_LIMITS
		);
		expect(files).toEqual([]);
		expect(problems).toEqual([
			{ code: 'type', name: 'x.csv' },
			{ code: 'type', name: 'x.csv' },
			{ code: 'type', name: 'x.csv' }
		]);
	});

	it('rejects a file over 20 MB without reading it', async () => {
		expect(DISCLOSURE_LIMITS.maxBytes).toBe(15 * 1024 * 1024);
		// A small file that says it is one byte too big, so that no 20 MB need be made.
		const big = file(CSV, 'ngan-sach.csv');
		Object.defineProperty(big, 'size', { value: DISCLOSURE_LIMITS.maxBytes + 1 });
		let read = false;
		big.arrayBuffer = () => {
			read = true;
			throw new Error('must not be read');
		};
		const { files, problems } = await readUploads(form(big), 'files', DISCLOSURE_LIMITS);
		expect(files).toEqual([]);
		expect(problems).toEqual([{ code: 'too_large', name: 'ngan-sach.csv' }]);
		expect(read).toBe(false);
		const small: UploadLimits = { ...DISCLOSURE_LIMITS, maxBytes: CSV.byteLength - 1 };
		const over = await readUploads(form(file(CSV, 'ngan-sach.csv')), 'files', small);
		expect(over.problems).toEqual([{ code: 'too_large', name: 'ngan-sach.csv' }]);
	});

	it('keeps no path in the name of an accepted CSV', async () => {
		const { files, problems } = await readUploads(
			form(file(CSV, '../../../etc/passwd.csv'), file(CSV, '..\\..\\.hidden.csv')),
			'files',
			DISCLOSURE_LIMITS
		);
		expect(problems).toEqual([]);
		expect(files.map((f) => f.name)).toEqual(['passwd.csv', 'hidden.csv']);
		for (const { name } of files) {
			expect(name).not.toMatch(/[/\\]/);
			expect(name.startsWith('.')).toBe(false);
		}
	});
});

describe('Office documents (ZIP structure, zip bombs, old and locked formats)', () => {
	const MB = 1024 * 1024;
	const zeros = (size: number) => new Uint8Array(size);
	/** The parts of a minimal workbook with `change` applied to the part named `name`. */
	const xlsxWith = (name: string, change: Partial<ZipPart>) =>
		xlsxParts().map((part) => (part.name === name ? { ...part, ...change } : part));
	const upload = async (content: Uint8Array, name = 'bang-gia-dat.xlsx') =>
		readUploads(form(file(content, name)), 'files', DISCLOSURE_LIMITS);
	/** The local header of the first part of `archive` (the one at offset 0). */
	const firstNameAt = 30;

	it('takes a real minimal .xlsx and .docx, also stored, with data descriptors or a comment', async () => {
		expect(sniff(xlsx())).toBe('xlsx');
		expect(sniff(docx())).toBe('docx');
		const variants = [
			zip(xlsxParts().map((part) => ({ ...part, method: 0 }))),
			zip(xlsxParts().map((part) => ({ ...part, flags: 0x0808 }))),
			zip(xlsxParts(), { comment: 'Sở Tài chính' })
		];
		for (const variant of variants) expect(sniff(variant)).toBe('xlsx');
		const { files, problems } = await readUploads(
			form(
				file(xlsx(), 'bang-gia-dat.xlsx'),
				file(docx(), 'quyet-dinh.docx'),
				...variants.map((v) => file(v, 'x.xlsx'))
			),
			'files',
			{ ...DISCLOSURE_LIMITS, maxFiles: 5 }
		);
		expect(problems).toEqual([]);
		expect(files.map((f) => f.kind)).toEqual(['xlsx', 'docx', 'xlsx', 'xlsx', 'xlsx']);
	});

	it('does not take a part name written in a stored text file for a workbook', async () => {
		const text = '[Content_Types].xml xl/workbook.xml word/document.xml _rels/.rels';
		const smuggled = zip([{ name: 'ghi-chu.txt', data: text, method: 0 }]);
		expect(sniff(smuggled)).toBeNull();
		// the old check's favourite: a local header followed by the names, no directory at all
		const names = bytes('PK', [3, 4, 0x14, 0, 0, 0, 8, 0], text);
		expect(sniff(names)).toBeNull();
		expect((await upload(smuggled)).problems).toEqual([
			{ code: 'type', name: 'bang-gia-dat.xlsx' }
		]);
	});

	it('refuses a JAR, an APK and a plain ZIP, even with an Office part name in them', () => {
		const jar = zip([
			{ name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\r\nMain-Class: Main\r\n' },
			{ name: 'Main.class', data: zeros(64) },
			{ name: 'xl/workbook.xml', data: '<workbook/>' }
		]);
		const apk = zip([
			{ name: 'AndroidManifest.xml', data: zeros(64) },
			{ name: 'classes.dex', data: zeros(64) },
			{ name: 'word/document.xml', data: '<w:document/>' }
		]);
		for (const archive of [jar, apk, zip([{ name: 'readme.txt', data: 'xin chào' }])])
			expect(sniff(archive)).toBeNull();
	});

	it('needs [Content_Types].xml naming the main part with its own non-macro type, and the part itself', () => {
		const withoutTypes = zip(xlsxParts().filter((p) => p.name !== '[Content_Types].xml'));
		const withoutWorkbook = zip(xlsxParts().filter((p) => p.name !== 'xl/workbook.xml'));
		const typesOnly = (overrides: Record<string, string>) =>
			zip(xlsxWith('[Content_Types].xml', { data: contentTypes(overrides) }));
		for (const archive of [
			withoutTypes,
			withoutWorkbook,
			typesOnly({}),
			typesOnly({ '/xl/workbook.xml': 'application/vnd.ms-excel.sheet.macroEnabled.main+xml' }),
			typesOnly({ '/xl/workbook.xml': WORD_MAIN }),
			typesOnly({ '/word/document.xml': WORD_MAIN }),
			// both main parts declared: neither kind is sure
			zip([
				...xlsxWith('[Content_Types].xml', {
					data: contentTypes({ '/xl/workbook.xml': SHEET_MAIN, '/word/document.xml': WORD_MAIN })
				}),
				...docxParts().filter((p) => p.name === 'word/document.xml')
			])
		])
			expect(sniff(archive)).toBeNull();
		// part names are compared without case, as OPC says
		expect(sniff(typesOnly({ '/XL/Workbook.xml': SHEET_MAIN }))).toBe('xlsx');
	});

	it('refuses an entry with the encryption flag, in either header', async () => {
		expect(sniff(zip(xlsxWith('xl/worksheets/sheet1.xml', { flags: 1 })))).toBeNull();
		expect(sniff(zip(xlsxWith('xl/worksheets/sheet1.xml', { flags: 0x40 })))).toBeNull();
		const local = new Uint8Array(xlsx());
		local[6] |= 1; // the first local header only; its central record stays clear
		expect(sniff(local)).toBeNull();
		expect((await upload(local)).problems).toEqual([{ code: 'type', name: 'bang-gia-dat.xlsx' }]);
	});

	it('refuses names that climb out, are absolute, use backslashes or drives, or repeat', () => {
		for (const name of [
			'../evil.xml',
			'xl/../../evil.xml',
			'/etc/evil.xml',
			'xl\\evil.xml',
			'C:/evil.xml',
			'xl//evil.xml',
			'./xl/evil.xml',
			'XL/WORKBOOK.XML'
		])
			expect(sniff(zip([...xlsxParts(), { name, data: '<x/>' }])), name).toBeNull();
	});

	it('refuses a truncated archive, trailing or hidden bytes, and headers that disagree', () => {
		const good = xlsx();
		for (const cut of [1, 22, 100, good.byteLength >> 1])
			expect(sniff(good.subarray(0, good.byteLength - cut))).toBeNull();
		expect(sniff(bytes(Array.from(good), 'x'))).toBeNull();
		const renamed = new Uint8Array(good);
		renamed[firstNameAt] = 'X'.charCodeAt(0); // the local name no longer matches the central one
		expect(sniff(renamed)).toBeNull();
		const sized = new Uint8Array(good);
		sized[22] ^= 1; // the local header's uncompressed size
		expect(sniff(sized)).toBeNull();
		// a central directory that starts one byte late, or claims one entry fewer
		const end = good.byteLength - 22;
		const shifted = new Uint8Array(good);
		shifted[end + 16] += 1;
		expect(sniff(shifted)).toBeNull();
		const fewer = new Uint8Array(good);
		fewer[end + 8] -= 1;
		fewer[end + 10] -= 1;
		expect(sniff(fewer)).toBeNull();
	});

	it('refuses more than the allowed number of entries', () => {
		const many = (count: number) =>
			zip([
				...xlsxParts(),
				...Array.from({ length: count - 5 }, (_, i) => ({
					name: `xl/media/p${i}.xml`,
					data: '',
					method: 0
				}))
			]);
		expect(sniff(many(ZIP_LIMITS.maxEntries))).toBe('xlsx');
		expect(sniff(many(ZIP_LIMITS.maxEntries + 1))).toBeNull();
	});

	it('refuses a zip bomb that declares its size: past 100:1 or past 100 MB unpacked', async () => {
		expect(ZIP_LIMITS).toMatchObject({ maxUnpackedBytes: 100 * MB, maxRatio: 100 });
		const bomb = zip([...xlsxParts(), { name: 'xl/worksheets/sheet2.xml', data: zeros(20 * MB) }]);
		expect(bomb.byteLength).toBeLessThan(100 * 1024);
		expect(sniff(bomb)).toBeNull();
		expect((await upload(bomb)).problems).toEqual([
			{ code: 'unpacked_too_large', name: 'bang-gia-dat.xlsx' }
		]);
		// at a ratio under 100:1 (2 MB of noise stored), but 101 MB in all
		const noise = new Uint8Array(2 * MB).map((_, i) => (i * 2654435761) >>> 24);
		const big = zip([
			...xlsxParts(),
			{ name: 'xl/media/image1.bin', data: noise, method: 0 },
			{ name: 'xl/worksheets/sheet2.xml', data: zeros(99 * MB) }
		]);
		expect(sniff(big)).toBeNull();
		expect((await upload(big)).problems).toEqual([
			{ code: 'unpacked_too_large', name: 'bang-gia-dat.xlsx' }
		]);
	});

	it('refuses a zip bomb that lies about its size, found while inflating', async () => {
		const liar = zip([
			...xlsxParts(),
			{ name: 'xl/worksheets/sheet2.xml', data: zeros(50 * MB), declaredSize: 1000 }
		]);
		// its structure and declared sizes look fine; inflating shows the lie
		expect(sniff(liar)).toBe('xlsx');
		expect(await officeDataIntact(liar, 'xlsx')).toBe('expands');
		expect((await upload(liar)).problems).toEqual([
			{ code: 'unpacked_too_large', name: 'bang-gia-dat.xlsx' }
		]);
	});

	it('refuses a part whose size, checksum or deflate data are wrong', async () => {
		const sheet = 'xl/worksheets/sheet1.xml';
		const broken = [
			zip(xlsxWith(sheet, { declaredSize: 5000 })),
			zip(xlsxWith(sheet, { declaredCrc: 12345 })),
			zip(xlsxWith(sheet, { body: bytes([0xff, 0xff, 0xff, 0xff]) })),
			// [Content_Types].xml is read whole by sniff itself
			zip(xlsxWith('[Content_Types].xml', { declaredCrc: 12345 }))
		];
		for (const archive of broken.slice(0, 3)) {
			expect(sniff(archive)).toBe('xlsx');
			expect(await officeDataIntact(archive, 'xlsx')).toBe('invalid');
			expect((await upload(archive)).problems).toEqual([
				{ code: 'type', name: 'bang-gia-dat.xlsx' }
			]);
		}
		expect(sniff(broken[3]!)).toBeNull();
	});

	it('checks the main part starts with its root element', async () => {
		const fake = zip(
			xlsxWith('xl/workbook.xml', { data: '<html><script>alert(1)</script></html>' })
		);
		expect(await officeDataIntact(fake, 'xlsx')).toBe('invalid');
		expect((await upload(fake)).problems).toEqual([{ code: 'type', name: 'bang-gia-dat.xlsx' }]);
		expect(await officeDataIntact(docx(), 'docx')).toBe('ok');
	});

	it('refuses old .xls and .doc and password-protected OOXML with their own message', async () => {
		const ole = (stream: string) => {
			const header = bytes(
				[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
				Array.from({ length: 504 }, () => 0)
			);
			const name = Array.from(stream, (c) => [c.charCodeAt(0), 0]).flat();
			return bytes(
				Array.from(header),
				name,
				Array.from({ length: 128 - name.length }, () => 0)
			);
		};
		const encrypted = ole('EncryptionInfo');
		const { files, problems } = await readUploads(
			form(
				file(encrypted, 'bang-gia-dat.xlsx'),
				file(ole('Workbook'), 'cu.xls'),
				file(ole('WordDocument'), 'cu.doc')
			),
			'files',
			DISCLOSURE_LIMITS
		);
		expect(files).toEqual([]);
		expect(problems).toEqual([
			{ code: 'office_legacy', name: 'bang-gia-dat.xlsx' },
			{ code: 'office_legacy', name: 'cu.xls' },
			{ code: 'office_legacy', name: 'cu.doc' }
		]);
		expect(uploadProblemMessage({ kind: 'file', problem: problems[0]! })).toBe(
			'Tệp “bang-gia-dat.xlsx” là tệp Excel, Word định dạng cũ (.xls, .doc) hoặc đã đặt mật khẩu nên không tiếp nhận được; đề nghị mở tệp, gỡ mật khẩu và lưu lại dưới dạng .xlsx hoặc .docx.'
		);
		expect(
			uploadProblemMessage({
				kind: 'file',
				problem: { code: 'unpacked_too_large', name: 'a.xlsx' }
			})
		).toMatch(/^Tệp “a\.xlsx” khi giải nén lớn hơn 100 MB/);
		// where Office files are not allowed at all, they are simply of the wrong type
		expect((await readUploads(form(file(encrypted, 'a.xlsx')), 'files')).problems).toEqual([
			{ code: 'type', name: 'a.xlsx' }
		]);
	});
});
