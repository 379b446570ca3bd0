import { escapeMarkup } from '../http/escape';

export type AtomEntry = {
	id: string;
	title: string;
	link: string;
	updated: Date;
	author: string;
	summary: string;
};

// characters XML 1.0 does not allow at all, even escaped
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
/** Text made safe inside XML content and quoted attribute values. */
export const escapeXmlText = (s: string) => escapeMarkup(s.replace(INVALID_XML, ''));
const text = escapeXmlText;

/** An Atom 1.0 document (RFC 4287) with plain-text entries. */
export function atomFeed(feed: {
	id: string;
	title: string;
	self: string;
	entries: readonly AtomEntry[];
}): string {
	const updated = feed.entries[0]?.updated ?? new Date(0);
	const entries = feed.entries.map(
		(e) => `	<entry>
		<id>${text(e.id)}</id>
		<title>${text(e.title)}</title>
		<link rel="alternate" href="${text(e.link)}"/>
		<updated>${e.updated.toISOString()}</updated>
		<author><name>${text(e.author)}</name></author>
		<summary type="text">${text(e.summary)}</summary>
	</entry>`
	);
	return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
	<id>${text(feed.id)}</id>
	<title>${text(feed.title)}</title>
	<link rel="self" href="${text(feed.self)}"/>
	<link rel="alternate" href="${text(feed.id)}"/>
	<updated>${updated.toISOString()}</updated>
${entries.join('\n')}
</feed>
`;
}
