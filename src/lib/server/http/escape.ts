/** Text made safe inside HTML or XML content and quoted attribute values. */
export const escapeMarkup = (s: string): string =>
	s.replace(
		/[<>&"']/g,
		(c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!
	);
