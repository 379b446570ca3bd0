export type FileKind = 'jpeg' | 'png' | 'webp' | 'pdf';

export const MIME: Record<FileKind, string> = {
	jpeg: 'image/jpeg',
	png: 'image/png',
	webp: 'image/webp',
	pdf: 'application/pdf'
};

export const EXTENSION: Record<FileKind, string> = {
	jpeg: 'jpg',
	png: 'png',
	webp: 'webp',
	pdf: 'pdf'
};

export type UploadLimits = { maxFiles: number; maxBytes: number; kinds: readonly FileKind[] };

export const ATTACHMENT_LIMITS: UploadLimits = {
	maxFiles: 3,
	maxBytes: 5 * 1024 * 1024,
	kinds: ['jpeg', 'png', 'webp', 'pdf']
};

export type UploadProblem = { code: 'too_many' | 'too_large' | 'type' | 'empty'; name: string };

export type CheckedUpload = { name: string; kind: FileKind; bytes: Uint8Array; size: number };

function startsWith(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
	return bytes.length >= offset + prefix.length && prefix.every((b, i) => bytes[offset + i] === b);
}

const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));

/** The type of a file from its first bytes only; its name and declared type are the sender's claim. */
export function sniff(bytes: Uint8Array): FileKind | null {
	if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
	if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
	if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
	if (startsWith(bytes, ascii('%PDF-'))) return 'pdf';
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
