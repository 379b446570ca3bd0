// Citizen survey pages ship no framework JavaScript: every step is a plain form post, light
// enough for a cheap phone on a slow connection. static/survey.js adds instant validation.
export const csr = false;
