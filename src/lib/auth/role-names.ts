import { m } from '$lib/paraglide/messages';
import type { Role } from './access';

const names: Record<Role, () => string> = {
	official: m.role_official,
	approver: m.role_approver,
	moderator: m.role_moderator,
	analyst: m.role_analyst,
	admin: m.role_admin,
	interviewer: m.role_interviewer,
	microdata: m.role_microdata
};

/** A role's name in the language of the page. */
export function roleName(role: Role): string {
	return names[role]();
}
