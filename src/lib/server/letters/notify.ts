import { m } from '$lib/paraglide/messages';
import { formatDocumentDate } from '$lib/i18n/format';
import {
	LETTER_TITLE,
	letterSubject,
	NATIONAL_MOTTO,
	NATIONAL_TITLE,
	paragraphsOf
} from '$lib/letters/template';
import type { Db } from '../db';
import { citizenKind } from '../notify/citizen';
import type { Lang } from '../notify/message';
import { defineKind } from '../notify/render';

/** The approved apology letter for a late answer, sent to the asker. */
export const APOLOGY_KIND = 'question_apology_letter';
/** The approved apology letter for a late dossier, sent to the applicant's exported contact. */
export const DOSSIER_APOLOGY_KIND = 'dossier_apology_letter';

/** The letter while it is approved (never a draft), with its agency's name. */
async function approvedLetter(db: Db, id: unknown) {
	if (typeof id !== 'number') return null;
	const l = await db
		.selectFrom('apology_letter as l')
		.innerJoin('agency as a', 'a.id', 'l.agency_id')
		.leftJoin('dossier as d', 'd.id', 'l.dossier_id')
		.select([
			'l.addressee',
			'l.place',
			'l.body',
			'l.signer_title',
			'l.signer_name',
			'l.approved_at',
			'a.name_vi',
			'd.procedure',
			'd.received_on'
		])
		.where('l.id', '=', id)
		.where('l.state', '!=', 'draft')
		.executeTakeFirst();
	return l?.approved_at ? { ...l, approved_at: l.approved_at } : null;
}

type Letter = NonNullable<Awaited<ReturnType<typeof approvedLetter>>>;

/** The letter as an administrative document, in Vietnamese, paragraph by paragraph. */
const documentLines = (l: Letter, kind: 'dossier' | 'question') => [
	`${NATIONAL_TITLE}\n${NATIONAL_MOTTO}`,
	`${l.name_vi.toUpperCase()}`,
	`${l.place ? `${l.place}, ` : ''}${formatDocumentDate(l.approved_at, 'vi')}`,
	`${LETTER_TITLE}\n${letterSubject(kind)}`,
	`Kính gửi: ${l.addressee || 'Ông/Bà'}`,
	...paragraphsOf(l.body),
	[l.signer_title, l.signer_name].filter(Boolean).join('\n')
];

// The letter itself is an administrative document in Vietnamese; the words around it are in the
// asker's language.
citizenKind(APOLOGY_KIND, async (db, c, n, lang) => {
	const l = await approvedLetter(db, n.params.letterId);
	if (!l) return null;
	const p = { code: c.code, agency: l.name_vi };
	return {
		subject: m.letter_mail_subject(p, { locale: lang }),
		lines: [m.letter_mail_intro(p, { locale: lang }), ...documentLines(l, 'question')]
	};
});

// A one-off message to a contact the applicant gave the one-stop shop, not a subscription: it
// has no stop link, and nothing else is ever sent to that contact.
defineKind(DOSSIER_APOLOGY_KIND, async (db, n, lang: Lang) => {
	const l = await approvedLetter(db, n.params.letterId);
	if (!l?.procedure || !l.received_on) return null;
	const p = {
		agency: l.name_vi,
		procedure: l.procedure,
		received: formatDocumentDate(l.received_on, lang)
	};
	return {
		subject: m.letter_mail_dossier_subject(p, { locale: lang }),
		lines: [m.letter_mail_dossier_intro(p, { locale: lang }), ...documentLines(l, 'dossier')]
	};
});
