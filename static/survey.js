// Progressive enhancement for the citizen survey pages, which work fully without it:
// answers are checked as soon as they are given, conditional questions appear and disappear in
// place, and each step is posted in the background and swapped in without a full page load (a
// refused one comes back with its error summary).
// No framework, no dependencies; the server stays the judge of every answer.
(function () {
	'use strict';
	var messages = {};

	function questions(root) {
		return Array.prototype.slice.call(root.querySelectorAll('[data-question]'));
	}

	function values(q) {
		var out = [];
		q.querySelectorAll('input, select, textarea').forEach(function (el) {
			if ((el.type === 'radio' || el.type === 'checkbox') && !el.checked) return;
			if (el.value.trim() !== '') out.push(el.value.trim());
		});
		return out;
	}

	function fill(template, q) {
		return template
			.replace('{min}', q.dataset.min)
			.replace('{max}', q.dataset.max || q.dataset.maxchoices || q.dataset.maxlength);
	}

	function problem(q) {
		if (q.hidden) return '';
		var v = values(q);
		var type = q.dataset.type;
		if (v.length === 0) return q.dataset.required === 'true' ? messages.required : '';
		if (type === 'number') {
			var text = v[0].replace(',', '.');
			if (!/^-?\d+(\.\d+)?$/.test(text)) return messages.not_a_number;
			var n = Number(text);
			if (q.dataset.integer === 'true' && n % 1 !== 0) return messages.not_integer;
			if (n < Number(q.dataset.min) || n > Number(q.dataset.max))
				return fill(messages.out_of_range, q);
		}
		if (type === 'multiple' && q.dataset.maxchoices && v.length > Number(q.dataset.maxchoices))
			return fill(messages.too_many, q);
		if (
			(type === 'text' || type === 'longtext') &&
			v.join('\n').length > Number(q.dataset.maxlength)
		)
			return fill(messages.too_long, q);
		return '';
	}

	function show(q, message) {
		var id = 'q-' + q.dataset.question + '-error';
		var p = document.getElementById(id);
		var target = q.querySelector('fieldset, input, select, textarea');
		q.classList.toggle('invalid', !!message);
		if (!message) {
			if (p) p.remove();
			return;
		}
		if (!p) {
			p = document.createElement('p');
			p.className = 'q-error';
			p.id = id;
			// where the server puts it: just before the choices or the field
			var before = q.querySelector('.choices, input, select, textarea');
			before.parentNode.insertBefore(p, before);
			if (target)
				target.setAttribute(
					'aria-describedby',
					((target.getAttribute('aria-describedby') || '') + ' ' + id).trim()
				);
		}
		p.textContent = message;
	}

	// Conditional questions shown in place on one-page questionnaires.
	function applyConditions(root) {
		questions(root).forEach(function (q) {
			if (!q.dataset.showIf) return;
			var rule = JSON.parse(q.dataset.showIf);
			var source = root.querySelector('[data-question="' + rule.question + '"]');
			var given = source ? values(source) : [];
			q.hidden = !given.some(function (v) {
				return rule.anyOf.indexOf(v) >= 0;
			});
		});
	}

	function enhance(root) {
		var form = root.querySelector('form[data-survey]');
		if (!form) return;
		messages = JSON.parse(form.dataset.messages);
		applyConditions(root);
		form.addEventListener('change', function (e) {
			var q = e.target.closest('[data-question]');
			applyConditions(root);
			if (q) show(q, problem(q));
		});
		form.addEventListener('focusout', function (e) {
			var q = e.target.closest('[data-question]');
			if (q && e.target.type !== 'radio' && e.target.type !== 'checkbox' && values(q).length)
				show(q, problem(q));
		});
		form.addEventListener('submit', function (e) {
			var submitter = e.submitter;
			// a language switch loads the whole page in the other language, answers posted with it
			if (submitter && submitter.name === 'locale') return;
			// no check here that stops the post: the server refuses what is missing with the error
			// summary (swapped in and focused below), and keeps the page's answers in the draft
			if (!window.fetch || !window.DOMParser) return;
			e.preventDefault();
			var body = new FormData(form);
			if (submitter && submitter.name) body.append(submitter.name, submitter.value);
			if (submitter) submitter.disabled = true;
			fetch(form.getAttribute('action') || location.href, {
				method: 'POST',
				body: body,
				credentials: 'same-origin',
				headers: { accept: 'text/html' }
			})
				.then(function (response) {
					return response.text().then(function (html) {
						swap(html, response.redirected ? response.url : null);
					});
				})
				.catch(function () {
					// offline or the server is gone: fall back to an ordinary post, which the browser retries
					form.submit();
				});
		});
	}

	// The header's language switch goes through the form's own (it keeps the answers); the
	// header stays outside the part swapped in, so this is bound once.
	document.addEventListener('submit', function (e) {
		if (!e.target.matches || !e.target.matches('.language-form')) return;
		var keep = document.querySelector('form[data-survey] [data-keep-language]');
		if (!keep || !keep.form.requestSubmit) return;
		e.preventDefault();
		keep.form.requestSubmit(keep);
	});

	function swap(html, url) {
		var next = new DOMParser().parseFromString(html, 'text/html');
		var main = document.querySelector('main');
		var incoming = next.querySelector('main');
		if (!main || !incoming) {
			document.open();
			document.write(html);
			document.close();
			return;
		}
		main.innerHTML = incoming.innerHTML;
		document.title = next.title;
		if (url && url !== location.href) history.pushState(null, '', url);
		shown = location.pathname + location.search;
		enhance(main);
		window.scrollTo(0, 0);
		// a refusal's error summary first (it comes after the heading), else the new page's heading
		var focus = main.querySelector('.error-summary, [role="alert"]') || main.querySelector('h1');
		if (focus) {
			focus.setAttribute('tabindex', '-1');
			focus.focus();
		}
	}

	// back/forward to another step reloads it; a link to a field (#field-…) is not a new page and
	// must not reload, or following an error summary's link would throw away every answer typed
	var shown = location.pathname + location.search;
	window.addEventListener('popstate', function () {
		if (location.pathname + location.search === shown) return;
		location.reload();
	});
	enhance(document);
})();
