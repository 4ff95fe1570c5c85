import { ValidationError } from "@/lib/errors";
import { idSchema } from "@/lib/validation";

// The conversation list's keyset position, opaque to clients: the last row's (updated_at, id).
export interface ConversationCursor {
  updatedAt: Date;
  id: string;
}

export function encodeCursor(cursor: ConversationCursor): string {
  return Buffer.from(JSON.stringify([cursor.updatedAt.toISOString(), cursor.id])).toString(
    "base64url",
  );
}

export function decodeCursor(raw: string): ConversationCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === "string") {
      const updatedAt = new Date(parsed[0]);
      const id = idSchema.safeParse(parsed[1]);
      if (!Number.isNaN(updatedAt.getTime()) && id.success) return { updatedAt, id: id.data };
    }
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError("cursor is invalid");
}
