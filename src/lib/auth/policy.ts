/** Password rules, shared by the server's validation and the form's hint. (Who may do what: README.md.) */
export const MIN_PASSWORD_LENGTH = 10;
