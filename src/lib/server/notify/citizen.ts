import { m } from '$lib/paraglide/messages';
import { formatDocumentDate } from '$lib/i18n/format';
import type { Db } from '../db';
import type { EventKind } from '../questions/events';
import { publicUrl } from './links';
import type { Content, Lang } from './message';
import { defineKind, type StoredNotification } from './render';
import { unseal } from './seal';
import { stopUrl } from './stop';

/**
 * What the asker of a question is told, and of which step. Sent only to an asker who gave a
 * contact and ticked the consent, until they stop it or the contact is deleted (outbox.ts and
 * render.ts check). A message says what the asker gave (their name, title, code), what the portal
 * decided (a reason, a request, the agency) and their private link: never who on the staff did it.
 */
export const TOLD_TO_ASKER: Partial<Record<EventKind, string>> = {
	received: 'question_received',
	info_requested: 'question_info_requested',
	rejected: 'question_rejected',
	// the duplicate is closed: its asker learns where the answer will be
	merged: 'question_merged',
	published: 'question_published',
	reopened: 'question_reopened'
};

/** A fresh private link asked for on /questions/lost. */
export const QUESTION_LINK = 'question_link';

async function caseOf(db: Db, questionId: number) {
	return db
		.selectFrom('question as q')
		.innerJoin('question_contact as c', 'c.question_id', 'q.id')
		.leftJoin('question as into', 'into.id', 'q.merged_into_id')
		.leftJoin('agency as a', 'a.id', 'q.agency_id')
		.select([
			'q.id',
			'q.code',
			'q.title',
			'q.status',
			'q.info_request',
			'q.rejection_reason',
			'q.due_on',
			'into.code as into',
			'a.name_vi as agencyVi',
			'a.name_en as agencyEn',
			'c.name',
			'c.link_sealed'
		])
		.where('q.id', '=', questionId)
		.executeTakeFirst();
}

type Case = NonNullable<Awaited<ReturnType<typeof caseOf>>>;

/** The asker's private page; the lost-link form when the seal cannot be opened (a new secret). */
function privateLink(c: Case, lang: Lang, label: string): Content['link'] {
	const token = c.link_sealed ? unseal(c.link_sealed) : null;
	return token
		? { href: publicUrl(`/questions/track/${token}`), label }
		: { href: publicUrl('/questions/lost'), label: m.notify_q_lost({}, { locale: lang }) };
}

async function agencyName(db: Db, id: unknown, lang: Lang): Promise<string | null> {
	if (typeof id !== 'number') return null;
	const a = await db
		.selectFrom('agency')
		.select(['name_vi', 'name_en'])
		.where('id', '=', id)
		.executeTakeFirst();
	return a ? (lang === 'en' ? a.name_en : a.name_vi) : null;
}

export type Say = (
	db: Db,
	c: Case,
	n: StoredNotification,
	lang: Lang
) => Promise<Omit<Content, 'unsubscribe'> | null> | Omit<Content, 'unsubscribe'> | null;

/** One kind of message to the asker: greeting, what `say` says, and the stop link. */
export function citizenKind(kind: string, say: Say) {
	defineKind(kind, async (db, n, lang) => {
		if (n.question_id === null) return null;
		const c = await caseOf(db, n.question_id);
		if (!c) return null;
		const content = await say(db, c, n, lang);
		if (!content) return null;
		const greeting = c.name
			? m.notify_q_greeting_named({ name: c.name }, { locale: lang })
			: m.notify_q_greeting({}, { locale: lang });
		return {
			...content,
			lines: [greeting, ...content.lines],
			unsubscribe: stopUrl(c.id)
		};
	});
}

const site = (lang: Lang) => m.site_name({}, { locale: lang });
const track = (lang: Lang) => m.notify_q_track({}, { locale: lang });

citizenKind('question_received', (_db, c, _n, lang) => {
	const p = { code: c.code, title: c.title, site: site(lang) };
	return {
		subject: m.notify_q_received_subject(p, { locale: lang }),
		lines: [m.notify_q_received_1(p, { locale: lang }), m.notify_q_received_2(p, { locale: lang })],
		link: privateLink(c, lang, track(lang))
	};
});

// said only while it is still asked: detail given meanwhile needs no reminder
citizenKind('question_info_requested', (_db, c, _n, lang) => {
	if (c.status !== 'needs_info' || !c.info_request) return null;
	const p = { code: c.code, title: c.title };
	return {
		subject: m.notify_q_info_subject(p, { locale: lang }),
		lines: [
			m.notify_q_info_1(p, { locale: lang }),
			c.info_request,
			m.notify_q_info_2(p, { locale: lang })
		],
		link: privateLink(c, lang, m.notify_q_info_link({}, { locale: lang }))
	};
});

citizenKind('question_rejected', (_db, c, _n, lang) => {
	if (c.status !== 'rejected' || !c.rejection_reason) return null;
	const p = { code: c.code, title: c.title };
	return {
		subject: m.notify_q_rejected_subject(p, { locale: lang }),
		lines: [
			m.notify_q_rejected_1(p, { locale: lang }),
			c.rejection_reason,
			m.notify_q_rejected_2(p, { locale: lang })
		],
		link: privateLink(c, lang, m.notify_q_details({}, { locale: lang }))
	};
});

citizenKind('question_merged', (_db, c, _n, lang) => {
	if (c.status !== 'merged' || !c.into) return null;
	const p = { code: c.code, title: c.title, into: c.into };
	return {
		subject: m.notify_q_merged_subject(p, { locale: lang }),
		lines: [m.notify_q_merged_1(p, { locale: lang }), m.notify_q_merged_2(p, { locale: lang })],
		link: privateLink(c, lang, m.notify_q_details({}, { locale: lang }))
	};
});

citizenKind('question_published', async (db, c, n, lang) => {
	const agency = await agencyName(db, n.params.agencyId, lang);
	if (!agency) return null;
	const p = { code: c.code, title: c.title, agency };
	return {
		subject: m.notify_q_published_subject(p, { locale: lang }),
		lines: [
			m.notify_q_published_1(p, { locale: lang }),
			m.notify_q_published_2(p, { locale: lang })
		],
		link: privateLink(c, lang, m.notify_q_published_link({}, { locale: lang }))
	};
});

// said only while the agency is still on it: a new answer meanwhile has its own message
citizenKind('question_reopened', async (db, c, n, lang) => {
	const agency = await agencyName(db, n.params.agencyId, lang);
	if (c.status !== 'assigned' || !agency || !c.due_on) return null;
	const p = { code: c.code, title: c.title, agency, due: formatDocumentDate(c.due_on, lang) };
	return {
		subject: m.notify_q_reopened_subject(p, { locale: lang }),
		lines: [m.notify_q_reopened_1(p, { locale: lang })],
		link: privateLink(c, lang, track(lang))
	};
});

citizenKind(QUESTION_LINK, (_db, c, _n, lang) => {
	const p = { code: c.code, title: c.title, site: site(lang) };
	return {
		subject: m.notify_q_link_subject(p, { locale: lang }),
		lines: [m.notify_q_link_1(p, { locale: lang }), m.notify_q_link_2(p, { locale: lang })],
		link: privateLink(c, lang, track(lang))
	};
});
