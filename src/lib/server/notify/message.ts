import { m } from '$lib/paraglide/messages';
import { escapeMarkup as escapeHtml } from '../http/escape';

export type Lang = 'vi' | 'en';

/** Where a message goes, read when it is sent. */
export type Addressee = { email: string | null; phone: string | null; name: string | null };

/** What a renderer says: in the recipient's language, with at most one link to act on. */
export type Content = {
	subject: string;
	/** paragraphs of plain text */
	lines: string[];
	link?: { href: string; label: string };
	/** one-click stop (RFC 8058), for messages a citizen may stop */
	unsubscribe?: string;
};

/** One message ready for a channel: the addresses read at sending, never stored in the outbox. */
export type Message = Content & {
	kind: string;
	lang: Lang;
	to: Addressee;
	text: string;
	html: string;
};

/** The portal's plain layout: no images, no tracking, readable as text. */
export function compose(content: Content, lang: Lang): { text: string; html: string } {
	const site = m.site_name({}, { locale: lang });
	const footer = m.notify_footer({ site }, { locale: lang });
	const stop = m.notify_stop({}, { locale: lang });
	const text = [
		...content.lines,
		...(content.link ? [`${content.link.label}: ${content.link.href}`] : []),
		'--',
		footer,
		...(content.unsubscribe ? [`${stop}: ${content.unsubscribe}`] : [])
	].join('\n\n');
	const paragraphs = content.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n');
	const link = content.link
		? `<p><a href="${escapeHtml(content.link.href)}">${escapeHtml(content.link.label)}</a></p>`
		: '';
	const unsubscribe = content.unsubscribe
		? `\n<p><a href="${escapeHtml(content.unsubscribe)}">${escapeHtml(stop)}</a></p>`
		: '';
	const html =
		`<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(content.subject)}</title></head>` +
		`<body style="font-family:sans-serif;line-height:1.5;max-width:40em">\n${paragraphs}\n${link}\n` +
		`<hr><p style="color:#444">${escapeHtml(footer)}</p>${unsubscribe}</body></html>`;
	return { text, html };
}
