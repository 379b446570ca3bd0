import { staffOf, PERSONAS, type Persona } from './personas';
import { RULES, type Access, type Fixtures } from './rules';
import type { Entry } from './routes';

/** The rule that governs one operation of the route tree, if the rules name it. */
export function accessOf(entry: Entry): Access | undefined {
	const rule = RULES[entry.route];
	if (entry.op.kind === 'page') return rule?.page;
	if (entry.op.kind === 'action') return rule?.actions?.[entry.op.name];
	return rule?.endpoints?.[entry.op.method];
}

/** The signed-in personas `access` lets in, by the permissions, with the fixtures' agencies. */
export function allowed(access: Access, f: Fixtures): Persona[] {
	const agencies = { A: Number(f.agencyA), B: Number(f.agencyB) };
	return PERSONAS.filter(
		(p) => p !== 'anonymous' && p !== 'disabled' && access.allow(staffOf(p, agencies), f)
	);
}

/** The address of a staff route, its [params] filled from the fixtures (or `override`). */
export function pathOf(entry: Entry, fixtures: Fixtures, override: Record<string, string> = {}) {
	const params = { ...RULES[entry.route]?.params?.(fixtures), ...override };
	return entry.route.replace(/^\/\(staff\)/, '').replace(/\[(\w+)\]/g, (_, name: string) => {
		const value = params[name];
		if (value === undefined) throw new Error(`${entry.route}: no value for [${name}]`);
		return encodeURIComponent(value);
	});
}
