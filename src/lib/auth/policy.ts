/** Password rules, shared by the server's validation and the form's hint. */
export const MIN_PASSWORD_LENGTH = 10;
