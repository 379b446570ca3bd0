import { officeStructure } from './zip';

export type FileKind = 'jpeg' | 'png' | 'webp' | 'pdf' | 'xlsx' | 'docx' | 'csv';

export const MIME: Record<FileKind, string> = {
	jpeg: 'image/jpeg',
	png: 'image/png',
	webp: 'image/webp',
	pdf: 'application/pdf',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	csv: 'text/csv; charset=utf-8'
};

export const EXTENSION: Record<FileKind, string> = {
	jpeg: 'jpg',
	png: 'png',
	webp: 'webp',
	pdf: 'pdf',
	xlsx: 'xlsx',
	docx: 'docx',
	csv: 'csv'
};

export type UploadLimits = { maxFiles: number; maxBytes: number; kinds: readonly FileKind[] };

/** Citizens' attachments to a question or a reply. */
export const ATTACHMENT_LIMITS: UploadLimits = {
	maxFiles: 3,
	maxBytes: 5 * 1024 * 1024,
	kinds: ['jpeg', 'png', 'webp', 'pdf']
};

/** Disclosures officials must publish (budgets, land-price tables, ...). */
export const DISCLOSURE_LIMITS: UploadLimits = {
	maxFiles: 5,
	maxBytes: 15 * 1024 * 1024,
	kinds: ['pdf', 'xlsx', 'docx', 'csv', 'jpeg', 'png', 'webp']
};

/**
 * `office_legacy`: an OLE file (.xls, .doc, or an .xlsx or .docx with a password) where Office
 * documents are allowed; `unpacked_too_large`: an Office document that would inflate past
 * `ZIP_LIMITS` (or a zip bomb).
 */
export type UploadProblem = {
	code: 'too_many' | 'too_large' | 'type' | 'empty' | 'office_legacy' | 'unpacked_too_large';
	name: string;
};

export type CheckedUpload = { name: string; kind: FileKind; bytes: Uint8Array; size: number };

function startsWith(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
	return bytes.length >= offset + prefix.length && prefix.every((b, i) => bytes[offset + i] === b);
}

const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));

const EXECUTABLE_MAGICS: readonly (readonly number[])[] = [
	ascii('MZ'), // Windows PE (and DOS)
	[0x7f, ...ascii('ELF')],
	[0xfe, 0xed, 0xfa, 0xce], // Mach-O 32-bit, big-endian
	[0xfe, 0xed, 0xfa, 0xcf], // Mach-O 64-bit, big-endian
	[0xce, 0xfa, 0xed, 0xfe], // Mach-O 32-bit, little-endian
	[0xcf, 0xfa, 0xed, 0xfe], // Mach-O 64-bit, little-endian
	[0xca, 0xfe, 0xba, 0xbe] // Mach-O universal (also a Java class file)
];

const ZIP = ascii('PK\x03\x04');

/** Only this much of a file is read to decide whether it is text. */
export const TEXT_SNIFF_BYTES = 64 * 1024;

/**
 * Whether the first `TEXT_SNIFF_BYTES` are UTF-8 text that is not markup, JSON or a script: no
 * control characters but tab, CR and LF, and not starting with `<`, `{`, `[` or `#!`.
 */
function isPlainText(bytes: Uint8Array): boolean {
	const head = bytes.subarray(0, TEXT_SNIFF_BYTES);
	// In UTF-8 these bytes only ever stand for themselves, so they can be checked before decoding.
	for (const b of head) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
	let text: string;
	try {
		// A leading BOM is dropped; `stream` lets a character cut off by the window pass.
		text = new TextDecoder('utf-8', { fatal: true }).decode(head, {
			stream: head.byteLength < bytes.byteLength
		});
	} catch {
		return false;
	}
	return !/^(?:[<{[]|#!)/u.test(text.trimStart());
}

/**
 * The type of a file from its content only; its name and declared type are the sender's claim.
 * Executables are refused first, and a ZIP is only an Office document when its structure is sound
 * and its content types name a workbook or a Word document held in it (`officeStructure`); the
 * entries' data are inflated and checked by `officeDataIntact`, which `readUploads` runs. Text is `csv` only with `text: true`: almost any text passes that test, so ask
 * for it only when the sender also named the file `.csv` (as `readUploads` does).
 */
export function sniff(bytes: Uint8Array, options: { text?: boolean } = {}): FileKind | null {
	if (EXECUTABLE_MAGICS.some((magic) => startsWith(bytes, magic))) return null;
	if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
	if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
	if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
	if (startsWith(bytes, ascii('%PDF-'))) return 'pdf';
	if (startsWith(bytes, ZIP)) {
		const office = officeStructure(bytes);
		return office === 'xlsx' || office === 'docx' ? office : null;
	}
	if (options.text && bytes.byteLength > 0 && isPlainText(bytes)) return 'csv';
	return null;
}

const MAX_BASE_LENGTH = 100;
const FALLBACK_BASE = 'tep-dinh-kem';

/** The last path segment with only letters, marks, digits, spaces, `.`, `-` and `_` left. */
function cleanName(name: string): string {
	const last = name.normalize('NFC').split(/[/\\]/).pop() ?? '';
	return (
		last
			.replace(/[\p{C}]/gu, '')
			.replace(/[^\p{L}\p{M}\p{N}\s._-]/gu, ' ')
			.replace(/\s+/gu, ' ')
			// A leading dot would hide the file or read as `..`; trailing dots and spaces vex Windows.
			.replace(/^[\s.]+|[\s.]+$/gu, '')
	);
}

function cut(text: string): string {
	return Array.from(text)
		.slice(0, MAX_BASE_LENGTH)
		.join('')
		.replace(/[\s.]+$/u, '');
}

/** A name safe to store and to show, with the extension of the real type (quotes and slashes are gone). */
export function safeFileName(name: string, kind: FileKind): string {
	const base = cut(cleanName(name).replace(/\.[\p{L}\p{N}]{1,10}$/u, ''));
	return `${base || FALLBACK_BASE}.${EXTENSION[kind]}`;
}

/** The same cleaning for a rejected file, whose real type is unknown: its extension is kept. */
export function safeDisplayName(name: string): string {
	const clean = cleanName(name);
	const extension = /\.[\p{L}\p{N}]{1,10}$/u.exec(clean)?.[0] ?? '';
	const base = cut(clean.slice(0, clean.length - extension.length));
	return `${base || FALLBACK_BASE}${extension}`;
}
