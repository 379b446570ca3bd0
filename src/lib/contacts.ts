import { z } from 'zod';

/**
 * What counts as an e-mail address or a phone number where a citizen's contact is taken (the
 * question form, a one-stop system's dossier export). Pure.
 */
export const isEmail = (text: string): boolean =>
	text.length <= 200 && z.email().safeParse(text).success;

/** Digits with the separators people write (+84 912 345 678, 0912.345.678, (0219) 3812 345). */
export const isPhone = (text: string): boolean => /^\+?[0-9 .()-]{8,20}$/.test(text);
