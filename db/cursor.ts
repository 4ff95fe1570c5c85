import { ValidationError } from "@/lib/errors";
import { idSchema } from "@/lib/validation";

/** A keyset position, opaque to clients: the last row's timestamp and id. */
export interface Keyset {
  at: Date;
  id: string;
}

export function encodeKeyset({ at, id }: Keyset): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString("base64url");
}

export function decodeKeyset(raw: string): Keyset {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === "string") {
      const at = new Date(parsed[0]);
      const id = idSchema.safeParse(parsed[1]);
      if (!Number.isNaN(at.getTime()) && id.success) return { at, id: id.data };
    }
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError("cursor is invalid");
}

// The conversation list's position: the last row's (updated_at, id).
export interface ConversationCursor {
  updatedAt: Date;
  id: string;
}

export function encodeCursor(cursor: ConversationCursor): string {
  return encodeKeyset({ at: cursor.updatedAt, id: cursor.id });
}

export function decodeCursor(raw: string): ConversationCursor {
  const { at, id } = decodeKeyset(raw);
  return { updatedAt: at, id };
}
