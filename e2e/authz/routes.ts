import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What the staff part of the route tree offers, read from the source files at run time, so that
 * a route, form action or HTTP method added without an authorization rule is noticed.
 */

export type Operation =
	| { kind: 'page' } // GET of a +page
	| { kind: 'action'; name: string } // a named form action of +page.server.ts
	| { kind: 'endpoint'; method: string }; // an exported handler of +server.ts

export type Entry = { route: string; op: Operation };

export const ROUTES_DIR = fileURLToPath(new URL('../../src/routes', import.meta.url));
export const STAFF_GROUP = '(staff)';

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'fallback'];

export function describe(op: Operation): string {
	if (op.kind === 'page') return 'GET page';
	if (op.kind === 'action') return `action ?/${op.name}`;
	return `${op.method} endpoint`;
}

function* directories(dir: string): Generator<string> {
	yield dir;
	for (const d of readdirSync(dir, { withFileTypes: true }))
		if (d.isDirectory()) yield* directories(join(dir, d.name));
}

/** The SvelteKit route id of a folder, e.g. "/(staff)/officials/questions/[id]". */
function routeId(dir: string): string {
	const rel = relative(ROUTES_DIR, dir).split(sep).join('/');
	return rel ? `/${rel}` : '/';
}

/** Strips comments and the contents of quoted strings, keeping offsets roughly meaningful. */
function code(source: string): string {
	return source.replace(
		/\/\*[\s\S]*?\*\/|\/\/[^\n]*|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"/g,
		(m) => (m.startsWith('/') ? ' ' : m[0] + 'x'.repeat(Math.max(0, m.length - 2)) + m[0])
	);
}

/**
 * The keys of the object literal assigned to `export const actions`. Throws when there is an
 * actions export this reader does not understand (then the test cannot vouch for it).
 */
export function actionNames(source: string, file: string): string[] {
	const stripped = code(source);
	const at = stripped.search(/export\s+const\s+actions\b/);
	if (at < 0) {
		if (/export\s*\{[^}]*\bactions\b/.test(stripped) || /\bactions\s+as\b/.test(stripped))
			throw new Error(`${file}: actions are re-exported; list them in a literal`);
		return [];
	}
	const open = stripped.indexOf('=', at);
	const brace = stripped.indexOf('{', open);
	if (open < 0 || brace < 0 || stripped.slice(open + 1, brace).trim() !== '')
		throw new Error(`${file}: "export const actions" is not an object literal`);
	const names: string[] = [];
	let depth = 0;
	let expectKey = false;
	for (let i = brace; i < stripped.length; i++) {
		const c = stripped[i]!;
		if (c === '{' || c === '(' || c === '[') {
			depth++;
			if (depth === 1) expectKey = true;
			continue;
		}
		if (c === '}' || c === ')' || c === ']') {
			depth--;
			if (depth === 0) return names;
			continue;
		}
		if (depth !== 1) continue;
		if (c === ',') {
			expectKey = true;
			continue;
		}
		if (expectKey && /\S/.test(c)) {
			// `name: ...`, `async name(...)` or `name(...)`; anything else (a spread, a quoted or
			// computed key) is refused rather than guessed
			const key = /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*[:(]/.exec(stripped.slice(i));
			if (!key)
				throw new Error(`${file}: cannot read the action key at "${source.slice(i, i + 30)}"`);
			names.push(key[1]!);
			expectKey = false;
		}
	}
	throw new Error(`${file}: unbalanced actions literal`);
}

/** The HTTP methods a +server.ts exports. */
export function endpointMethods(source: string): string[] {
	const stripped = code(source);
	const found = new Set<string>();
	for (const m of stripped.matchAll(
		/export\s+(?:const|let|var|async\s+function|function)\s+([A-Za-z_$][\w$]*)/g
	))
		if (HTTP_METHODS.includes(m[1]!)) found.add(m[1]!);
	for (const m of stripped.matchAll(/export\s*\{([^}]*)\}/g))
		for (const part of m[1]!.split(',')) {
			const name = part
				.trim()
				.split(/\s+as\s+/)
				.pop()
				?.trim();
			if (name && HTTP_METHODS.includes(name)) found.add(name);
		}
	return [...found].sort();
}

/** Every page, form action and endpoint method under src/routes/(staff). */
export function staffEntries(): Entry[] {
	const entries: Entry[] = [];
	for (const dir of directories(join(ROUTES_DIR, STAFF_GROUP))) {
		const route = routeId(dir);
		const has = (f: string) => existsSync(join(dir, f));
		if (['+page.svelte', '+page.ts', '+page.js', '+page.server.ts', '+page.server.js'].some(has))
			entries.push({ route, op: { kind: 'page' } });
		for (const f of ['+page.server.ts', '+page.server.js'].filter(has)) {
			const file = join(dir, f);
			for (const name of actionNames(readFileSync(file, 'utf8'), file))
				entries.push({ route, op: { kind: 'action', name } });
		}
		for (const f of ['+server.ts', '+server.js'].filter(has))
			for (const method of endpointMethods(readFileSync(join(dir, f), 'utf8')))
				entries.push({ route, op: { kind: 'endpoint', method } });
	}
	return entries;
}

/**
 * Every page outside the staff group, e.g. "/questions/[code]", but those under /dev, which exist
 * only under `vite dev` (a build answers 404: e2e/notify-admin.e2e.ts).
 */
export function publicPages(): string[] {
	return [...directories(ROUTES_DIR)]
		.filter((dir) => !routeId(dir).startsWith(`/${STAFF_GROUP}`))
		.filter((dir) => !/^\/dev(\/|$)/.test(routeId(dir)))
		.filter((dir) => existsSync(join(dir, '+page.svelte')))
		.map(routeId);
}

/**
 * Server files outside the staff group that call the staff guards: a staff page put outside
 * (staff) would miss the hook's backstop, so the test refuses it unless it is listed.
 */
export function guardedOutsideStaff(): string[] {
	const found: string[] = [];
	for (const dir of directories(ROUTES_DIR)) {
		if (routeId(dir).startsWith(`/${STAFF_GROUP}`)) continue;
		for (const f of readdirSync(dir)) {
			if (!/^\+(page|layout|server)(\.server)?\.(ts|js)$/.test(f)) continue;
			const source = readFileSync(join(dir, f), 'utf8');
			if (/\brequire(Area|User)\s*\(/.test(source)) found.push(`${routeId(dir)}/${f}`);
		}
	}
	return found;
}
