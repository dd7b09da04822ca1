import { passwordRules } from "../../../shared/admin-api";

/** What is wrong with a new password and its confirmation, per field, before the server is asked. */
export interface PasswordProblems {
  readonly password: string | null;
  readonly confirmation: string | null;
}

/** Checks a new password against the server's rules (shared passwordRules) and its confirmation. */
export function checkNewPassword(password: string, confirmation: string): PasswordProblems {
  let problem: string | null = null;
  if (password.length < passwordRules.minLength) problem = `Use at least ${passwordRules.minLength} characters.`;
  else if (password.length > passwordRules.maxLength) problem = `Use at most ${passwordRules.maxLength} characters.`;
  return { password: problem, confirmation: confirmation === password ? null : "The two passwords differ." };
}

/** The rule as a hint under password fields. */
export const passwordHint = `At least ${passwordRules.minLength} characters. A passphrase of a few words is easy to type and hard to guess.`;
