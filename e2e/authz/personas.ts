import type { Grant, Role, Staff } from '$lib/auth/access';
import type { Units } from '$lib/server/surveys/permissions';

/**
 * The personas of the authorization matrix and the grants each holds, declared once: the demo
 * seed's accounts as seeds/demo.ts grants them, and the accounts setup.ts makes (it grants them
 * from this table). The rules (rules.ts) compute who may do what by calling each feature's
 * permissions.ts on these grants and the fixtures' objects.
 */
export const PERSONAS = [
	'anonymous',
	'admin',
	'officialA',
	'officialB',
	'approverA',
	'moderator',
	'analyst',
	'analystOutside',
	'analystCommune',
	'interviewer',
	'interviewerCommune',
	'disabled'
] as const;
export type Persona = (typeof PERSONAS)[number];

/** Agency A (Sở Nội vụ) owns the matrix's objects; agency B is Ủy ban nhân dân xã Vị Xuyên. */
export type AgencyKey = 'A' | 'B';
export const AGENCY_NAMES: Record<AgencyKey, string> = {
	A: 'Sở Nội vụ tỉnh Tuyên Quang',
	B: 'Ủy ban nhân dân xã Vị Xuyên'
};

/**
 * The personas who sign in with a demo account; tests/db/demo-personas.test.ts checks that the
 * demo seed gives each the grants GRANTS declares, so the matrix never expects another policy.
 */
export const DEMO_LOGINS: Partial<Record<Persona, string>> = {
	admin: 'admin@demo.civicvoice.vn',
	officialA: 'canbo.noivu@demo.civicvoice.vn',
	officialB: 'canbo.vixuyen@demo.civicvoice.vn',
	approverA: 'lanhdao.noivu@demo.civicvoice.vn',
	moderator: 'kiemduyet@demo.civicvoice.vn',
	analyst: 'phantich@demo.civicvoice.vn',
	interviewer: 'dieutravien@demo.civicvoice.vn'
};

/** A grant as declared: the agency by key, the unit by its official code. */
export type DeclaredGrant = { role: Role; agency?: AgencyKey; unit?: string };

export const GRANTS: Record<Persona, readonly DeclaredGrant[]> = {
	anonymous: [],
	admin: [{ role: 'admin' }],
	officialA: [{ role: 'official', agency: 'A' }],
	officialB: [{ role: 'official', agency: 'B' }],
	approverA: [{ role: 'approver', agency: 'A' }],
	moderator: [{ role: 'moderator' }],
	// province 08 (Tuyên Quang), with the microdata grant
	analyst: [
		{ role: 'analyst', unit: '08' },
		{ role: 'microdata', unit: '08' }
	],
	// another province (Hà Nội), with the microdata grant there
	analystOutside: [
		{ role: 'analyst', unit: '01' },
		{ role: 'microdata', unit: '01' }
	],
	// one commune of province 08 (Xã Vị Xuyên)
	analystCommune: [{ role: 'analyst', unit: '00913' }],
	interviewer: [{ role: 'interviewer', unit: '08' }],
	// another commune of province 08 (Phường Hà Giang 1)
	interviewerCommune: [{ role: 'interviewer', unit: '00694' }],
	// an official of agency A, whose account is disabled after signing in: no session works
	disabled: [{ role: 'official', agency: 'A' }]
};

/** The units the grants and objects name, each with the one above it (the demo's map). */
const PARENT: Record<string, string | null> = {
	'08': null,
	'00913': '08',
	'00694': '08',
	'01': null
};

/** A matrix-local id for a unit code (the permissions compare ids only among these units). */
function unitId(code: string): number {
	const at = Object.keys(PARENT).indexOf(code);
	if (at < 0) throw new Error(`authz: unit ${code} is not in the matrix's map`);
	return at + 1;
}

/** Units by code, each with the units above it, as surveys/scope.ts loads them from the database. */
export function unitsOf(...codes: string[]): Units {
	const above = new Map<number, number[]>();
	for (const code of Object.keys(PARENT)) {
		const chain: number[] = [];
		for (let c: string | null = code; c !== null; c = PARENT[c] ?? null) chain.push(unitId(c));
		above.set(unitId(code), chain);
	}
	return { ids: codes.map(unitId), above };
}

/** The ids of agencies A and B, from the fixtures. */
export type AgencyIds = Record<AgencyKey, number>;

/** The persona as the permissions see them: their grants, with the fixtures' agency ids. */
export function staffOf(persona: Persona, agencies: AgencyIds): Staff {
	const grants: Grant[] = GRANTS[persona].map((g) => ({
		role: g.role,
		agencyId: g.agency ? agencies[g.agency] : null,
		unitId: g.unit ? unitId(g.unit) : null
	}));
	return { id: persona, grants };
}
