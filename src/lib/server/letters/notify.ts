import { m } from '$lib/paraglide/messages';
import { formatDocumentDate } from '$lib/i18n/format';
import {
	LETTER_TITLE,
	letterSubject,
	NATIONAL_MOTTO,
	NATIONAL_TITLE,
	paragraphsOf
} from '$lib/letters/template';
import { citizenKind } from '../notify/citizen';

/** The approved apology letter for a late answer, sent to the asker. */
export const APOLOGY_KIND = 'question_apology_letter';

// The letter itself is an administrative document in Vietnamese; the words around it are in the
// asker's language. Said only while the letter is approved (never a draft).
citizenKind(APOLOGY_KIND, async (db, c, n, lang) => {
	const id = n.params.letterId;
	if (typeof id !== 'number') return null;
	const l = await db
		.selectFrom('apology_letter as l')
		.innerJoin('agency as a', 'a.id', 'l.agency_id')
		.select([
			'l.addressee',
			'l.place',
			'l.body',
			'l.signer_title',
			'l.signer_name',
			'l.approved_at',
			'a.name_vi'
		])
		.where('l.id', '=', id)
		.where('l.state', '!=', 'draft')
		.executeTakeFirst();
	if (!l?.approved_at) return null;
	const p = { code: c.code, agency: l.name_vi };
	return {
		subject: m.letter_mail_subject(p, { locale: lang }),
		lines: [
			m.letter_mail_intro(p, { locale: lang }),
			`${NATIONAL_TITLE}\n${NATIONAL_MOTTO}`,
			`${l.name_vi.toUpperCase()}`,
			`${l.place ? `${l.place}, ` : ''}${formatDocumentDate(l.approved_at, 'vi')}`,
			`${LETTER_TITLE}\n${letterSubject('question')}`,
			`Kính gửi: ${l.addressee || 'Ông/Bà'}`,
			...paragraphsOf(l.body),
			[l.signer_title, l.signer_name].filter(Boolean).join('\n')
		]
	};
});
