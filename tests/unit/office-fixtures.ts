import { Buffer } from 'node:buffer';
import { crc32, deflateRawSync } from 'node:zlib';

/**
 * ZIP archives and minimal Office documents built byte by byte, for the upload checks (unit and
 * browser tests): a real .xlsx and .docx, and the same with one thing wrong.
 */
export type ZipPart = {
	name: string;
	data: Uint8Array | string;
	/** 8 (deflate, the default) or 0 (stored). */
	method?: number;
	/** General-purpose flags, in both headers (bit 0: encrypted, bit 3: data descriptor). */
	flags?: number;
	/** The uncompressed size both headers declare, if not the real one. */
	declaredSize?: number;
	/** The checksum both headers declare, if not the real one. */
	declaredCrc?: number;
	/** The bytes stored for the part, if not `data` deflated (or `data` itself, stored). */
	body?: Uint8Array;
};

const u16 = (v: number) => [v & 0xff, (v >>> 8) & 0xff];
const u32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];

export function zip(parts: ZipPart[], options: { comment?: string } = {}): Uint8Array {
	const encoder = new TextEncoder();
	const local: Uint8Array[] = [];
	const central: Uint8Array[] = [];
	let offset = 0;
	const head = (...values: number[][]) => new Uint8Array(values.flat());
	for (const part of parts) {
		const raw = typeof part.data === 'string' ? encoder.encode(part.data) : part.data;
		const method = part.method ?? 8;
		const body = part.body ?? (method === 8 ? deflateRawSync(raw) : raw);
		const name = Array.from(encoder.encode(part.name));
		const flags = part.flags ?? 0;
		const crc = part.declaredCrc ?? crc32(raw);
		const size = part.declaredSize ?? raw.byteLength;
		const descriptor = (flags & 8) !== 0;
		const sums = [...u32(crc), ...u32(body.byteLength), ...u32(size)];
		const header = head(
			u32(0x04034b50),
			u16(20),
			u16(flags),
			u16(method),
			u32(0),
			descriptor ? new Array<number>(12).fill(0) : sums,
			u16(name.length),
			u16(0),
			name
		);
		const trailer = descriptor ? head(u32(0x08074b50), sums) : new Uint8Array();
		local.push(header, body, trailer);
		central.push(
			head(
				u32(0x02014b50),
				u16(20),
				u16(20),
				u16(flags),
				u16(method),
				u32(0),
				sums,
				u16(name.length),
				u16(0),
				u16(0),
				u16(0),
				u16(0),
				u32(0),
				u32(offset),
				name
			)
		);
		offset += header.byteLength + body.byteLength + trailer.byteLength;
	}
	const directory = Buffer.concat(central);
	const comment = Array.from(encoder.encode(options.comment ?? ''));
	const end = head(
		u32(0x06054b50),
		u16(0),
		u16(0),
		u16(parts.length),
		u16(parts.length),
		u32(directory.byteLength),
		u32(offset),
		u16(comment.length),
		comment
	);
	return new Uint8Array(Buffer.concat([...local, directory, end]));
}

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

export const SHEET_MAIN =
	'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml';
export const WORD_MAIN =
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';

export const contentTypes = (overrides: Record<string, string>) =>
	XML +
	'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
	'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
	'<Default Extension="xml" ContentType="application/xml"/>' +
	Object.entries(overrides)
		.map(([part, type]) => `<Override PartName="${part}" ContentType="${type}"/>`)
		.join('') +
	'</Types>';

const rels = (target: string) =>
	XML +
	'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
	'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" ' +
	`Target="${target}"/></Relationships>`;

/** The parts of a one-sheet workbook (a commune's budget line), before zipping. */
export function xlsxParts(): ZipPart[] {
	return [
		{
			name: '[Content_Types].xml',
			data: contentTypes({
				'/xl/workbook.xml': SHEET_MAIN,
				'/xl/worksheets/sheet1.xml':
					'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml'
			})
		},
		{ name: '_rels/.rels', data: rels('xl/workbook.xml') },
		{
			name: 'xl/workbook.xml',
			data:
				XML +
				'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
				'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
				'<sheets><sheet name="Ngân sách" sheetId="1" r:id="rId1"/></sheets></workbook>'
		},
		{
			name: 'xl/_rels/workbook.xml.rels',
			data:
				XML +
				'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
				'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" ' +
				'Target="worksheets/sheet1.xml"/></Relationships>'
		},
		{
			name: 'xl/worksheets/sheet1.xml',
			data:
				XML +
				'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
				'<row r="1"><c r="A1" t="inlineStr"><is><t>Đường nội thị</t></is></c>' +
				'<c r="B1"><v>1250000000</v></c></row></sheetData></worksheet>'
		}
	];
}

/** The parts of a one-paragraph Word document, before zipping. */
export function docxParts(): ZipPart[] {
	return [
		{ name: '[Content_Types].xml', data: contentTypes({ '/word/document.xml': WORD_MAIN }) },
		{ name: '_rels/.rels', data: rels('word/document.xml') },
		{
			name: 'word/document.xml',
			data:
				XML +
				'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
				'<w:body><w:p><w:r><w:t>Quyết định công khai dự toán ngân sách xã</w:t></w:r></w:p>' +
				'</w:body></w:document>'
		}
	];
}

export const xlsx = () => zip(xlsxParts());
export const docx = () => zip(docxParts());
