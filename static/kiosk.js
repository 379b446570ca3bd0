// The counter kiosk's tablet (issue 22). The page works without this script (a plain form post);
// with it, each rating is kept on the tablet with its idempotency key and sent in the background,
// again until the server answers (the key makes a resend count once), so a short network drop
// loses nothing. The form is cleared at once for the next citizen, and after a minute untouched.
// Only the queue of unsent ratings is stored, and each leaves it as soon as the server has it.
(function () {
	'use strict';
	var QUEUE = 'civic-voice-kiosk-queue';
	var form = document.querySelector('form[data-kiosk]');
	if (!form) return;
	var idleMs = Number(form.getAttribute('data-idle-seconds') || 60) * 1000;
	var thanks = document.querySelector('[data-kiosk-thanks]');
	var pending = document.querySelector('[data-kiosk-pending]');
	var errors = document.querySelector('[data-kiosk-errors]');
	var top = document.querySelector('[data-kiosk-top]');
	var last = Date.now();
	var sending = false;
	var thanksTimer = 0;

	function queue() {
		try {
			var q = JSON.parse(localStorage.getItem(QUEUE) || '[]');
			return Array.isArray(q) ? q : [];
		} catch {
			return [];
		}
	}

	function store(q) {
		if (q.length) localStorage.setItem(QUEUE, JSON.stringify(q));
		else localStorage.removeItem(QUEUE);
	}

	function newKey() {
		var bytes = new Uint8Array(16);
		crypto.getRandomValues(bytes);
		var s = '';
		for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
		return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
	}

	function showPending() {
		if (!pending) return;
		var n = queue().length;
		pending.textContent = n ? pending.getAttribute('data-template').replace('{count}', n) : '';
	}

	// The oldest rating not yet received, posted to the form action as SvelteKit's own enhanced
	// forms do; then the next one.
	function send() {
		if (sending) return;
		var q = queue();
		showPending();
		if (!q.length) return;
		sending = true;
		var item = q[0];
		fetch(item.url, {
			method: 'POST',
			body: new URLSearchParams(item.fields),
			headers: { accept: 'application/json', 'x-sveltekit-action': 'true' },
			credentials: 'same-origin',
			cache: 'no-store'
		})
			.then(function (response) {
				return response.json();
			})
			.then(function (result) {
				var status = Number(result.status || 0);
				// received, or refused for good (a revoked link, a spent key): it leaves the queue
				// either way; a busy or failing server is asked again later
				var settled =
					result.type === 'redirect' ||
					result.type === 'success' ||
					(result.type === 'failure' && status !== 429 && status < 500);
				if (settled)
					store(
						queue().filter(function (x) {
							return x.key !== item.key;
						})
					);
				sending = false;
				showPending();
				if (settled) send();
			})
			.catch(function () {
				sending = false;
				showPending();
			});
	}

	/** Whether every required question (and the field) has an answer. */
	function complete() {
		var ok = true;
		form.querySelectorAll('[data-question][data-required="true"]').forEach(function (q) {
			if (q.hidden) return;
			var given =
				!!q.querySelector('input:checked') ||
				Array.prototype.some.call(
					q.querySelectorAll('input[type="text"], textarea, select'),
					function (el) {
						return el.value.trim() !== '';
					}
				);
			if (!given) ok = false;
		});
		return ok;
	}

	function answered() {
		return Array.prototype.some.call(
			form.querySelectorAll('input, textarea, select'),
			function (el) {
				if (el.type === 'hidden') return false;
				if (el.type === 'radio' || el.type === 'checkbox')
					return el.checked && !el.hasAttribute('data-only');
				return el.tagName === 'SELECT' ? el.selectedIndex > 0 : el.value !== '';
			}
		);
	}

	/** Nothing of the last citizen left on the screen: answers, errors, the key of their rating. */
	function clear(thanked) {
		form.querySelectorAll('input, textarea, select').forEach(function (el) {
			if (el.name === 'submit_key') el.value = newKey();
			else if (el.type === 'radio' || el.type === 'checkbox') {
				el.checked = el.hasAttribute('data-only');
				el.defaultChecked = el.checked;
			} else if (el.tagName === 'SELECT') el.selectedIndex = 0;
			else {
				el.value = '';
				el.defaultValue = '';
			}
			el.removeAttribute('aria-invalid');
		});
		form.querySelectorAll('.q-error').forEach(function (p) {
			p.remove();
		});
		form.querySelectorAll('.invalid').forEach(function (q) {
			q.classList.remove('invalid');
		});
		if (errors) errors.textContent = '';
		clearTimeout(thanksTimer);
		if (thanks) {
			thanks.hidden = !thanked;
			if (thanked)
				thanksTimer = setTimeout(function () {
					thanks.hidden = true;
				}, 10000);
		}
		window.scrollTo(0, 0);
		if (top) top.focus();
		last = Date.now();
	}

	form.addEventListener('submit', function (e) {
		// an incomplete form goes to the server, which names what is missing and keeps the answers
		if (!complete()) return;
		var fields = [];
		new FormData(form).forEach(function (value, name) {
			if (typeof value === 'string') fields.push([name, value]);
		});
		var q = queue();
		q.push({
			key: form.elements.namedItem('submit_key').value,
			url: new URL(form.getAttribute('action'), location.href).href,
			fields: fields
		});
		try {
			store(q);
		} catch {
			return; // nowhere to keep it: the plain post sends it now
		}
		e.preventDefault();
		clear(true);
		send();
	});

	['input', 'change', 'pointerdown', 'keydown', 'scroll'].forEach(function (type) {
		document.addEventListener(
			type,
			function () {
				last = Date.now();
			},
			{ capture: true, passive: true }
		);
	});
	setInterval(function () {
		var showing = (thanks && !thanks.hidden) || (errors && errors.children.length > 0);
		if (Date.now() - last >= idleMs && (answered() || showing)) clear(false);
	}, 1000);
	setInterval(send, 5000);
	window.addEventListener('online', send);
	// a page the browser brings back (back button, restored tab) starts empty
	window.addEventListener('pageshow', function (e) {
		if (e.persisted) clear(false);
	});

	// the receipt page of a plain post is the form again: no "thanks" address left in the history
	if (location.search) history.replaceState(null, '', location.pathname);
	// answers a browser restored on its own are not kept; a refused post's answers are
	if (!errors || errors.children.length === 0) clear(!!thanks && !thanks.hidden);
	send();
})();
