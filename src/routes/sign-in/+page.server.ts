import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { dev } from '$app/environment';
import { formatWait } from '$lib/auth/wait';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { audit } from '$lib/server/audit';
import {
	createSession,
	invalidateSession,
	sessionExpiry,
	setSessionCookie
} from '$lib/server/auth/session';
import { refuseSignIn as refuse, signIn } from '$lib/server/auth/sign-in';
import { config } from '$lib/server/config';
import { getDb } from '$lib/server/db';
import { DomainError } from '$lib/server/forms/refusal';
import { formStep } from '$lib/server/forms/step';
import { localPath } from '$lib/server/http/redirect';
import type { Actions, PageServerLoad } from './$types';

/** Only a path on this site, so a crafted link cannot send a signed-in user elsewhere. */
const safeNext = (next: unknown, url: URL) => localPath(next, url.origin, '/staff');

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next'), url));
	return { next: safeNext(url.searchParams.get('next'), url) };
};

const credentials = z.object({
	// a field missing from the post reads the same as one left empty
	email: z
		.string({ error: () => m.sign_in_email_required() })
		.trim()
		.min(1, { error: () => m.sign_in_email_required() })
		.max(320),
	password: z
		.string({ error: () => m.sign_in_password_required() })
		.min(1, { error: () => m.sign_in_password_required() })
		.max(200),
	next: z.string().max(2000).optional()
});

export const actions: Actions = {
	default: async (event) =>
		formStep(event.request, credentials, async (data) => {
			const db = await getDb();
			const settings = config();
			const result = await signIn(db, {
				email: data.email,
				password: data.password,
				clientAddress: event.getClientAddress(),
				secret: settings.appSecret
			});
			if (!result.ok) {
				if (result.reason !== 'rate_limited') throw refuse('failed');
				event.setHeaders({ 'Retry-After': String(result.retryAfterSeconds) });
				const wait = formatWait(result.retryAfterSeconds, getLocale());
				throw new DomainError('rate_limited', 429, () => m.sign_in_rate_limited({ wait }));
			}
			// Rotate: the session this browser had (if the hook found it valid) is ended and a new one
			// issued. Only a verified session: an unverified cookie could name someone else's.
			const previous = event.locals.session?.id;
			if (previous) await invalidateSession(db, previous);
			const { token, session } = await createSession(db, result.userId);
			setSessionCookie(
				event.cookies,
				token,
				sessionExpiry(session, {
					idleDays: settings.sessionIdleDays,
					maxDays: settings.sessionMaxDays
				}),
				!dev
			);
			await audit(db, {
				actorId: result.userId,
				action: 'auth.sign_in',
				entityType: 'user',
				entityId: result.userId
			});
			redirect(303, safeNext(data.next, event.url));
		})
};
