import { inflateRawSync } from 'node:zlib';
import { readZip } from '$lib/server/files/zip';

/**
 * A downloaded workbook read back cell by cell, straight from its XML parts, for the export tests:
 * each cell's kind as the file stores it (a shared or inline string, a number, a formula), its
 * value and the number format Excel applies to it. Only what the tests look at, on purpose
 * independent of the library that wrote the file.
 */
export type ReadCell = {
	ref: string;
	kind: 'string' | 'number' | 'formula' | 'other';
	value: string | number;
	numFmt: string | null;
};

const BUILT_IN: Record<number, string> = {
	0: 'General',
	1: '0',
	2: '0.00',
	3: '#,##0',
	4: '#,##0.00',
	9: '0%',
	10: '0.00%',
	14: 'mm-dd-yy',
	49: '@'
};

const unescape = (s: string) =>
	s
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&apos;/g, "'")
		.replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
		.replace(/&amp;/g, '&');

const attr = (tag: string, name: string) =>
	new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ?? null;

export function workbookParts(bytes: Uint8Array): Map<string, string> {
	const entries = readZip(bytes);
	if (typeof entries === 'string') throw new Error(`not a sound ZIP: ${entries}`);
	const parts = new Map<string, string>();
	for (const e of entries) {
		const raw = bytes.subarray(e.dataStart, e.dataStart + e.compressedSize);
		const data = e.method === 0 ? raw : inflateRawSync(raw);
		parts.set(e.name, new TextDecoder().decode(data));
	}
	return parts;
}

/** The first sheet's rows, each a list of its cells in order (empty cells are left out). */
export function readSheet(bytes: Uint8Array): ReadCell[][] {
	const parts = workbookParts(bytes);
	const strings = [
		...(parts.get('xl/sharedStrings.xml') ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)
	].map((si) =>
		unescape([...si[1]!.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join(''))
	);
	const styles = parts.get('xl/styles.xml') ?? '';
	const custom = new Map(
		[...styles.matchAll(/<numFmt\s[^>]*>/g)].map((f) => [
			Number(attr(f[0], 'numFmtId')),
			unescape(attr(f[0], 'formatCode') ?? '')
		])
	);
	const xfs = [
		...(/<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)?.[1] ?? '').matchAll(/<xf\s[^>]*>/g)
	].map((x) => Number(attr(x[0], 'numFmtId') ?? 0));
	const sheetName = [...parts.keys()].find((k) => /^xl\/worksheets\/sheet\d+\.xml$/.test(k));
	const sheet = parts.get(sheetName ?? '') ?? '';
	return [...sheet.matchAll(/<row[^>]*>([\s\S]*?)<\/row>/g)].map((row) =>
		[...row[1]!.matchAll(/<c(\s[^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)].map((c) => {
			const open = c[1]!;
			const body = c[2] ?? '';
			const style = attr(open, 's');
			const id = style === null ? 0 : (xfs[Number(style)] ?? 0);
			const numFmt = id === 0 ? null : (custom.get(id) ?? BUILT_IN[id] ?? `#${id}`);
			const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
			const type = attr(open, 't');
			const ref = attr(open, 'r') ?? '';
			if (/<f[\s>]/.test(body)) return { ref, kind: 'formula', value: body, numFmt };
			if (type === 's') return { ref, kind: 'string', value: strings[Number(v)] ?? '', numFmt };
			if (type === 'inlineStr')
				return {
					ref,
					kind: 'string',
					value: unescape(/<t[^>]*>([\s\S]*?)<\/t>/.exec(body)?.[1] ?? ''),
					numFmt
				};
			if (type === null || type === 'n')
				return v === undefined
					? { ref, kind: 'other', value: '', numFmt }
					: { ref, kind: 'number', value: Number(v), numFmt };
			return { ref, kind: 'other', value: v ?? '', numFmt };
		})
	);
}

/** A sheet's rows as plain values (for comparing with a CSV). */
export const sheetValues = (rows: ReadCell[][]): (string | number)[][] =>
	rows.map((r) => r.map((c) => c.value));
