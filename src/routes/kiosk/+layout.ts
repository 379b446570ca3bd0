// The counter's tablet runs no framework JavaScript: the rating is a plain form post, and
// static/kiosk.js adds the reset, the idle timer and the queue that survives a network drop.
export const csr = false;
