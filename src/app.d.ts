import type { Role } from '$lib/auth/access';
import type { Session, SessionUser } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Error {
			message: string;
			/** reference a user can quote; the details are in the server log */
			id?: string;
			/** on a 403: the roles that would open the page */
			missingRoles?: Role[];
			/** the database could not be reached: the answer is 503, worth trying again */
			unavailable?: boolean;
		}
		interface Locals {
			user: SessionUser | null;
			session: Session | null;
			/** set by a load whose page is the same for every anonymous visitor but this token */
			pageCache?: { token: string | null; tokenFor: (url: URL) => string | null };
			/** the server's id of this request: its log line, X-Request-Id, an error page's reference */
			requestId?: string;
			/** set by handleError when the request failed because the database was unreachable */
			databaseUnavailable?: boolean;
		}
	}
}

export {};
