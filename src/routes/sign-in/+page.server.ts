import { fail, redirect } from '@sveltejs/kit';
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
import { signIn } from '$lib/server/auth/sign-in';
import { config } from '$lib/server/config';
import { getDb } from '$lib/server/db';
import { echoValues, readForm } from '$lib/server/forms/parse';
import { localPath } from '$lib/server/http/redirect';
import type { Actions, PageServerLoad } from './$types';

/** Only a path on this site, so a crafted link cannot send a signed-in user elsewhere. */
const safeNext = (next: unknown, url: URL) => localPath(next, url.origin, '/staff');

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next'), url));
	return { next: safeNext(url.searchParams.get('next'), url) };
};

const credentials = z.object({
	email: z.string().trim().min(1).max(320),
	password: z.string().min(1).max(200),
	next: z.string().max(2000).optional()
});

export const actions: Actions = {
	default: async (event) => {
		const form = await readForm(event.request);
		if (!(form instanceof FormData)) return form;
		const parsed = credentials.safeParse(Object.fromEntries(form));
		const values = echoValues(form);
		if (!parsed.success) {
			return fail(400, { values, message: m.sign_in_required_fields() });
		}
		const db = await getDb();
		const settings = config();
		const result = await signIn(db, {
			email: parsed.data.email,
			password: parsed.data.password,
			clientAddress: event.getClientAddress(),
			secret: settings.appSecret
		});
		if (!result.ok) {
			if (result.reason === 'rate_limited') {
				event.setHeaders({ 'Retry-After': String(result.retryAfterSeconds) });
				return fail(429, {
					values,
					message: m.sign_in_rate_limited({
						wait: formatWait(result.retryAfterSeconds, getLocale())
					})
				});
			}
			return fail(400, { values, message: m.sign_in_failed() });
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
		redirect(303, safeNext(parsed.data.next, event.url));
	}
};
