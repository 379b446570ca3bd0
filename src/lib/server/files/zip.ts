import { Buffer } from 'node:buffer';
import { crc32, createInflateRaw, inflateRawSync } from 'node:zlib';

/**
 * Office Open XML files (.xlsx, .docx) checked as what they claim to be: a ZIP whose end record,
 * central directory and local headers agree, with `[Content_Types].xml` and the main part as real
 * entries, the content types naming that part's type, and every entry inflating to exactly its
 * declared size and checksum within the limits below. Nothing here trusts a size before it has
 * been checked while inflating.
 */
export const ZIP_LIMITS = {
	/** Entries in one archive (a large workbook has a few hundred). */
	maxEntries: 5000,
	/** All entries together, once inflated. */
	maxUnpackedBytes: 100 * 1024 * 1024,
	/** All entries together, once inflated, against the size of the archive. */
	maxRatio: 100,
	/** `[Content_Types].xml`, which is read whole. */
	maxContentTypesBytes: 1024 * 1024
} as const;

export type OfficeKind = 'xlsx' | 'docx';

/** `invalid`: not a sound OOXML ZIP; `expands`: it would inflate past the limits (a zip bomb). */
export type ZipRefusal = 'invalid' | 'expands';

type Entry = {
	name: string;
	rawName: Uint8Array;
	method: number;
	crc: number;
	compressedSize: number;
	size: number;
	localOffset: number;
	dataStart: number;
};

const MAIN: Record<OfficeKind, { part: string; type: string; root: RegExp }> = {
	xlsx: {
		part: 'xl/workbook.xml',
		type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
		root: /^(?:<\?xml[^>]*\?>)?\s*(?:<!--[\s\S]*?-->\s*)*<(?:[\w.-]+:)?workbook[\s>/]/u
	},
	docx: {
		part: 'word/document.xml',
		type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
		root: /^(?:<\?xml[^>]*\?>)?\s*(?:<!--[\s\S]*?-->\s*)*<(?:[\w.-]+:)?document[\s>/]/u
	}
};

const CONTENT_TYPES = '[content_types].xml';

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_DESCRIPTOR = 0x08074b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;

const FLAG_ENCRYPTED = 0x0001;
const FLAG_DESCRIPTOR = 0x0008;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const FLAG_UTF8 = 0x0800;
const FLAG_MASKED_HEADERS = 0x2000;

const STORED = 0;
const DEFLATED = 8;

const u16 = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number): number =>
	(b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + b[at + 3]! * 0x1000000;

/** A part name that stays inside the archive: no absolute path, drive, backslash, `.` or `..`. */
function safePartName(name: string): boolean {
	if (name === '' || name.startsWith('/') || /[\\:]|\p{C}/u.test(name)) return false;
	const segments = name.split('/');
	// A trailing slash names a folder entry; other empty segments (`a//b`) are not allowed.
	if (segments.at(-1) === '') segments.pop();
	return segments.every((s) => s !== '' && s !== '.' && s !== '..');
}

function decodeName(raw: Uint8Array, flags: number): string | null {
	if (raw.every((b) => b >= 0x20 && b < 0x7f)) return String.fromCharCode(...raw);
	// Office writes ASCII part names; anything else must at least be declared and valid UTF-8.
	if (!(flags & FLAG_UTF8)) return null;
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(raw);
	} catch {
		return null;
	}
}

/**
 * The entries of a ZIP read from its central directory, each checked against its local header.
 * The archive must start with the first local header, the entries' data must follow each other
 * with no gap nor overlap up to the central directory, and the central directory must end exactly
 * at the end record, which must end the file (its comment included). Encryption, ZIP64, split
 * archives, methods other than stored and deflate, unsafe or duplicate names are refused.
 */
export function readZip(bytes: Uint8Array): Entry[] | ZipRefusal {
	const length = bytes.byteLength;
	if (length < 22) return 'invalid';
	let end = -1;
	for (let at = length - 22; at >= Math.max(0, length - 22 - 0xffff); at--) {
		if (u32(bytes, at) === SIG_END && u16(bytes, at + 20) === length - at - 22) {
			end = at;
			break;
		}
	}
	if (end < 0) return 'invalid';
	if (end >= 20 && u32(bytes, end - 20) === SIG_ZIP64_LOCATOR) return 'invalid';
	const count = u16(bytes, end + 10);
	const directorySize = u32(bytes, end + 12);
	const directoryOffset = u32(bytes, end + 16);
	if (u16(bytes, end + 4) !== 0 || u16(bytes, end + 6) !== 0 || u16(bytes, end + 8) !== count)
		return 'invalid';
	if (count === 0 || count > ZIP_LIMITS.maxEntries) return 'invalid';
	if (directoryOffset + directorySize !== end) return 'invalid';

	const entries: Entry[] = [];
	const seen = new Set<string>();
	let unpacked = 0;
	let at = directoryOffset;
	for (let i = 0; i < count; i++) {
		if (at + 46 > end || u32(bytes, at) !== SIG_CENTRAL) return 'invalid';
		const flags = u16(bytes, at + 8);
		const method = u16(bytes, at + 10);
		const crc = u32(bytes, at + 16);
		const compressedSize = u32(bytes, at + 20);
		const size = u32(bytes, at + 24);
		const nameLength = u16(bytes, at + 28);
		const next = at + 46 + nameLength + u16(bytes, at + 30) + u16(bytes, at + 32);
		const localOffset = u32(bytes, at + 42);
		if (next > end || u16(bytes, at + 34) !== 0) return 'invalid';
		if (flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION | FLAG_MASKED_HEADERS)) return 'invalid';
		if (method !== STORED && method !== DEFLATED) return 'invalid';
		if (method === STORED && compressedSize !== size) return 'invalid';
		if ([compressedSize, size, localOffset].includes(0xffffffff)) return 'invalid';
		const rawName = bytes.subarray(at + 46, at + 46 + nameLength);
		const name = decodeName(rawName, flags);
		if (name === null || !safePartName(name)) return 'invalid';
		// Part names are compared without case (ECMA-376 part 2, 6.3.5).
		const key = name.toLowerCase();
		if (seen.has(key)) return 'invalid';
		seen.add(key);
		unpacked += size;
		entries.push({ name, rawName, method, crc, compressedSize, size, localOffset, dataStart: 0 });
		at = next;
	}
	if (at !== end) return 'invalid';

	const byOffset = [...entries].sort((a, b) => a.localOffset - b.localOffset);
	let expected = 0;
	for (const entry of byOffset) {
		const lo = entry.localOffset;
		if (lo !== expected || lo + 30 > directoryOffset || u32(bytes, lo) !== SIG_LOCAL)
			return 'invalid';
		const flags = u16(bytes, lo + 6);
		const nameLength = u16(bytes, lo + 26);
		const dataStart = lo + 30 + nameLength + u16(bytes, lo + 28);
		const central = entry.rawName;
		const local = bytes.subarray(lo + 30, lo + 30 + nameLength);
		// Writers differ in the other flags between the two headers; encryption is never allowed.
		if (
			flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION) ||
			u16(bytes, lo + 8) !== entry.method ||
			local.byteLength !== central.byteLength ||
			local.some((b, i) => b !== central[i])
		)
			return 'invalid';
		const sizes = [u32(bytes, lo + 14), u32(bytes, lo + 18), u32(bytes, lo + 22)];
		const declared = [entry.crc, entry.compressedSize, entry.size];
		// With a data descriptor the local header may leave the sizes and checksum at zero.
		const deferred = flags & FLAG_DESCRIPTOR && sizes.every((v) => v === 0);
		if (!deferred && sizes.some((v, i) => v !== declared[i])) return 'invalid';
		let dataEnd = dataStart + entry.compressedSize;
		if (flags & FLAG_DESCRIPTOR) {
			const signed = dataEnd + 4 <= directoryOffset && u32(bytes, dataEnd) === SIG_DESCRIPTOR;
			const d = signed ? dataEnd + 4 : dataEnd;
			if (d + 12 > directoryOffset) return 'invalid';
			if ([u32(bytes, d), u32(bytes, d + 4), u32(bytes, d + 8)].some((v, i) => v !== declared[i]))
				return 'invalid';
			dataEnd = d + 12;
		}
		if (dataEnd > directoryOffset) return 'invalid';
		entry.dataStart = dataStart;
		expected = dataEnd;
	}
	if (expected !== directoryOffset) return 'invalid';

	if (unpacked > ZIP_LIMITS.maxUnpackedBytes || unpacked > ZIP_LIMITS.maxRatio * length)
		return 'expands';
	return entries;
}

const data = (bytes: Uint8Array, entry: Entry): Uint8Array =>
	bytes.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);

/** A small entry inflated whole, with its declared size as a hard cap, or null. */
function inflateSmall(bytes: Uint8Array, entry: Entry): Uint8Array | null {
	if (entry.size === 0) return null;
	let out: Uint8Array;
	try {
		out =
			entry.method === STORED
				? data(bytes, entry)
				: inflateRawSync(data(bytes, entry), { maxOutputLength: entry.size });
	} catch {
		return null;
	}
	return out.byteLength === entry.size && crc32(out) === entry.crc ? out : null;
}

/** The content type `[Content_Types].xml` gives each part named in an `Override`, by lower-case name. */
function overrides(xml: string): Map<string, string> {
	const types = new Map<string, string>();
	for (const [, attributes] of xml.matchAll(/<(?:[\w.-]+:)?Override\b([^>]*)>/gu)) {
		const attribute = (name: string) =>
			new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'u')
				.exec(attributes!)
				?.slice(1)
				.find((v) => v !== undefined);
		const part = attribute('PartName');
		const type = attribute('ContentType');
		if (part !== undefined && type !== undefined) types.set(part.toLowerCase(), type.trim());
	}
	return types;
}

/**
 * What Office document a ZIP is from its structure (`readZip`) and its `[Content_Types].xml`,
 * which must name exactly one main part, workbook or Word document, of its non-macro type, held
 * as a real entry. The other entries' data are not inflated here: `officeDataIntact` does that.
 */
export function officeStructure(bytes: Uint8Array): OfficeKind | ZipRefusal {
	const entries = readZip(bytes);
	if (typeof entries === 'string') return entries;
	const byName = new Map(entries.map((e) => [e.name.toLowerCase(), e]));
	const types = byName.get(CONTENT_TYPES);
	if (!types || types.size > ZIP_LIMITS.maxContentTypesBytes) return 'invalid';
	const raw = inflateSmall(bytes, types);
	if (raw === null) return 'invalid';
	let xml: string;
	try {
		xml = new TextDecoder('utf-8', { fatal: true }).decode(raw);
	} catch {
		return 'invalid';
	}
	const declared = overrides(xml);
	const kinds = (Object.keys(MAIN) as OfficeKind[]).filter(
		(kind) => declared.get(`/${MAIN[kind].part}`) === MAIN[kind].type && byName.has(MAIN[kind].part)
	);
	return kinds.length === 1 ? kinds[0]! : 'invalid';
}

/** Entries up to this size are inflated at once; larger ones as a stream. */
const SMALL_ENTRY = 1024 * 1024;

/** How much of the main part is kept while inflating, to check its root element. */
const ROOT_PEEK = 4096;

/**
 * Whether every entry of an Office document inflates to exactly its declared size and checksum,
 * and its main part starts with the root element of `kind`. An entry over 1 MB is inflated as a
 * stream and dropped chunk by chunk, a smaller one at once with its declared size as a hard cap,
 * so memory stays small whatever the archive claims, and inflating stops as soon as an entry
 * gives more than it declared (`expands`). Run it only on an archive
 * `officeStructure` took for `kind`: that already bounds the declared sizes.
 */
export async function officeDataIntact(
	bytes: Uint8Array,
	kind: OfficeKind
): Promise<'ok' | ZipRefusal> {
	const entries = readZip(bytes);
	if (typeof entries === 'string') return entries;
	for (const entry of entries) {
		const main = entry.name.toLowerCase() === MAIN[kind].part;
		let size = 0;
		let crc = 0;
		let head = new Uint8Array();
		const take = (chunk: Uint8Array) => {
			size += chunk.byteLength;
			crc = crc32(chunk, crc);
			if (main && head.byteLength < ROOT_PEEK)
				head = Buffer.concat([head, chunk.subarray(0, ROOT_PEEK - head.byteLength)]);
		};
		if (entry.method === STORED) take(data(bytes, entry));
		else if (entry.size <= SMALL_ENTRY) {
			// Small entries at once (a stream each costs more than the inflating), capped at their size.
			try {
				take(inflateRawSync(data(bytes, entry), { maxOutputLength: Math.max(entry.size, 1) }));
			} catch (e) {
				return e instanceof RangeError ? 'expands' : 'invalid';
			}
		} else {
			const inflater = createInflateRaw({ chunkSize: 64 * 1024 });
			inflater.end(data(bytes, entry));
			try {
				for await (const chunk of inflater as AsyncIterable<Buffer>) {
					if (size + chunk.byteLength > entry.size) {
						inflater.destroy();
						return 'expands';
					}
					take(chunk);
				}
			} catch {
				return 'invalid';
			}
		}
		if (size !== entry.size || crc !== entry.crc) return 'invalid';
		if (main) {
			const text = new TextDecoder('utf-8').decode(head).replace(/^\uFEFF/u, '');
			if (!MAIN[kind].root.test(text)) return 'invalid';
		}
	}
	return 'ok';
}

/** An OLE compound file: legacy .xls and .doc, and password-protected .xlsx and .docx alike. */
export function isCompoundFile(bytes: Uint8Array): boolean {
	const magic = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
	return bytes.byteLength >= 8 && magic.every((b, i) => bytes[i] === b);
}
