/**
 * Moves focus (and so the screen) to an element when it appears: an error summary or a
 * confirmation after an enhanced submit would otherwise be far above the button just pressed.
 */
export function focusOnMount(node: HTMLElement) {
	node.focus();
	node.scrollIntoView({ block: 'start' });
}
