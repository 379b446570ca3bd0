/**
 * Officials' replies to citizens are written in a restricted Markdown and rendered here, on the
 * server, into HTML that pages insert with `{@html}`. Raw HTML from users is never rendered: it is
 * escaped like any other text. Only paragraphs, line breaks, emphasis, strikethrough, lists,
 * blockquotes, headings (as h3/h4), links and inline code are kept; links may only point to
 * http(s), mailto or a path inside the portal, and never pass on referrer or `window.opener`.
 */
import MarkdownIt, { type RendererRule } from 'markdown-it';

export const MARKDOWN_MAX_LENGTH = 20_000;

const LINK_REL = 'nofollow noopener noreferrer';

const md = new MarkdownIt('default', {
	html: false,
	linkify: true,
	typographer: false,
	breaks: true
});

// Images, tables, code blocks and rules have no place in a reply; the HTML rules are already inert
// with `html: false`, switched off as well so that nothing can turn them back on by accident.
md.disable(['image', 'table', 'code', 'fence', 'hr', 'html_block', 'html_inline']);

/** Accepts http(s) and mailto URLs and paths into the portal, nothing else (no `//host`). */
md.validateLink = (url: string): boolean => {
	const value = url.trim().toLowerCase();
	if (/^(?:https?|mailto):/.test(value)) return true;
	return value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\');
};

/** The page already has h1 and h2: `#` and `##` become h3, anything deeper h4. */
function headingTag(tag: string): string {
	return Number(tag.slice(1)) <= 2 ? 'h3' : 'h4';
}

const renderHeading: RendererRule = (tokens, idx, options, _env, self) => {
	const token = tokens[idx];
	token.tag = headingTag(token.tag);
	return self.renderToken(tokens, idx, options);
};
md.renderer.rules.heading_open = renderHeading;
md.renderer.rules.heading_close = renderHeading;

md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
	const token = tokens[idx];
	token.attrSet('rel', LINK_REL);
	const target = token.attrIndex('target');
	if (target >= 0) token.attrs?.splice(target, 1);
	return self.renderToken(tokens, idx, options);
};

function prepare(source: string): string {
	let text = source.trim();
	if (text.length > MARKDOWN_MAX_LENGTH) {
		text = text.slice(0, MARKDOWN_MAX_LENGTH);
		// Do not leave half of a surrogate pair behind.
		if (/[\uD800-\uDBFF]$/.test(text)) text = text.slice(0, -1);
	}
	return text;
}

/** Renders restricted Markdown to HTML that is safe to insert with `{@html}`. */
export function renderMarkdown(source: string): string {
	return md.render(prepare(source));
}

const ENTITIES: Record<string, string> = {
	'&amp;': '&',
	'&lt;': '<',
	'&gt;': '>',
	'&quot;': '"',
	'&#39;': "'"
};

/**
 * The plain text of restricted Markdown, for feeds and search snippets: rendered, stripped of tags,
 * the basic entities decoded. Blocks end up on lines of their own, with blank lines dropped.
 * The result is not HTML: escape it before inserting it into a page.
 */
export function markdownToText(source: string): string {
	return renderMarkdown(source)
		.replace(/<[^>]*>/g, '')
		.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity])
		.split('\n')
		.map((line) => line.replace(/\s+/g, ' ').trim())
		.filter((line) => line !== '')
		.join('\n');
}
