import { z } from "zod";
import { TooLargeError, ValidationError } from "./errors";

// Shared by the browser and the server: no database or server-only imports here.

// Lengths are UTF-16 code units (JavaScript's `.length`) everywhere: an emoji outside the Basic
// Multilingual Plane counts 2.
/** The longest message a person may send. */
export const MAX_MESSAGE_CHARS = 100_000;
/**
 * The longest content any stored message may have: a reply (its cap, REPLY_MAX_CHARS, is at most
 * this) or an imported message. Import accepts up to this, so whatever the app stores and exports
 * imports back.
 */
export const MAX_STORED_MESSAGE_CHARS = 500_000;
export const MAX_TITLE_CHARS = 200;

const noNul = (value: string) => !value.includes("\u0000");
// JSON can carry half of a surrogate pair ("\ud800"); no database stores it as text, and the
// drivers would silently turn it into U+FFFD, so the stored text would differ from the sent one.
const noLoneSurrogates = (value: string) => !/\p{Surrogate}/u.test(value);

/** Text a person could have typed: no NUL, no half characters. For every free-text field. */
export function cleanText<T extends z.ZodType<string, string>>(schema: T) {
  return schema
    .refine(noNul, "must not contain NUL characters")
    .refine(noLoneSurrogates, "must not contain lone surrogates (half a character)");
}

// Postgres answers ids in lower case; normalising here keeps a resend with upper-case ids
// recognisable as the same message.
/**
 * A page cursor as a client sends it back: opaque to the client, decoded (and refused when
 * malformed) by the repository that issued it. The cap keeps a forged one from being large.
 */
export const cursorSchema = z.string().max(200);

export const idSchema = z.uuid({ message: "must be a UUID" }).transform((id) => id.toLowerCase());

export const messageContentSchema = cleanText(
  z
    .string({ message: "must be a string" })
    .refine((value) => value.trim().length > 0, "must not be empty")
    .refine((value) => value.length <= MAX_MESSAGE_CHARS, {
      message: `must be at most ${MAX_MESSAGE_CHARS} characters`,
      params: { tooLarge: true },
    }),
);

/**
 * Content as stored, including a reply's: a reply that failed or was cut off before its first
 * word is stored empty, and a reply may be longer than anything a person may send. Only what a
 * person sends must say something (`messageContentSchema`).
 */
export const storedContentSchema = cleanText(
  z
    .string({ message: "must be a string" })
    .refine((value) => value.length <= MAX_STORED_MESSAGE_CHARS, {
      message: `must be at most ${MAX_STORED_MESSAGE_CHARS} characters`,
      params: { tooLarge: true },
    }),
);

/** What a person sent has words; a reply may be empty (it failed or stopped before any). */
export const saysSomething = (message: { role: string; content: string }) =>
  message.role !== "user" || message.content.trim() !== "";

export const titleSchema = cleanText(
  z
    .string({ message: "must be a string" })
    .trim()
    .min(1, "must not be empty")
    .max(MAX_TITLE_CHARS, `must be at most ${MAX_TITLE_CHARS} characters`),
);

/**
 * The one form an email address is stored and looked up in, whichever way the account signs
 * in (password or GitHub): one person, one account.
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export const emailSchema = cleanText(
  z
    .string({ message: "must be a string" })
    .transform(normalizeEmail)
    .pipe(z.email({ message: "must be an email address" }).max(254)),
);

/**
 * Parses `input` or throws a typed error naming the first bad field. Content over the size
 * limit becomes a TooLargeError (413) so callers can tell it from malformed input (400).
 */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.length ? issue.path.join(".") : "input";
  const message =
    issue?.code === "unrecognized_keys"
      ? `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`
      : `${field} ${issue?.message ?? "is invalid"}`;
  const tooLarge = issue?.code === "custom" && issue.params?.tooLarge === true;
  throw tooLarge ? new TooLargeError(message) : new ValidationError(message);
}
