import { z } from "zod";
import { modelRefSchema } from "@/lib/model-ref-schema";
import { idSchema, messageContentSchema, titleSchema } from "@/lib/validation";

export const conversationParams = z.object({ id: idSchema });

// Request bodies are strict: a field the API does not know (a typo, or `role`/`status` hoping
// to be stored) is refused with 400 rather than silently dropped.
// A rename, a change of model (the picker), or both.
export const updateBody = z
  .strictObject({ title: titleSchema.optional(), model: modelRefSchema.optional() })
  .refine((body) => body.title !== undefined || body.model !== undefined, {
    message: "give a title, a model, or both",
  });

const sequence = z.coerce.number().int().max(2_147_483_647);

// One of `before` (the page older than a sequence), `after` (the page newer than one) or
// `around` (a page centred on one); none: the newest page.
export const messagesQuery = z
  .object({
    before: sequence.min(1).optional(),
    after: sequence.min(0).optional(),
    around: sequence.min(1).optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
  })
  .refine(
    (query) => [query.before, query.after, query.around].filter((v) => v !== undefined).length <= 1,
    "before, after and around cannot be combined",
  );

export const sendBody = z.strictObject({
  id: idSchema,
  content: messageContentSchema,
  // The message the new one follows. An edit of message M sends M's parent here, so the new
  // message is another version of M; null: M was a first message (a new root). Absent: after
  // the conversation's current leaf.
  parentId: idSchema.nullable().optional(),
  // The model to answer with, which becomes the conversation's. Absent: the conversation's own.
  model: modelRefSchema.optional(),
});

export const regenerateBody = z.strictObject({
  messageId: idSchema,
  // Kept for older clients, which sent both operations to …/regenerate and said which one here:
  // `continue` continues the reply (as POST …/continue does), `regenerate` changes nothing.
  mode: z.enum(["regenerate", "continue"]).optional(),
  // The new version's id, chosen by the client so that a retried regenerate makes no second
  // version; the server picks one when absent. Ignored when continuing.
  replyId: idSchema.optional(),
  // "Regenerate with…": the model this version is written by (the conversation keeps its own).
  model: modelRefSchema.optional(),
});

export const continueBody = z.strictObject({ messageId: idSchema });

// Either the message whose branch to show, or a version of a message by number: the ‹ k / n ›
// buttons know a message's version index and count, not its siblings' ids.
export const switchBody = z.union([
  z.strictObject({ messageId: idSchema }),
  z.strictObject({
    siblingOf: idSchema,
    versionIndex: z.number().int().min(0).max(2_147_483_647),
  }),
]);

// "Branch into a new chat": the message the copy ends at, and the new conversation's id (chosen
// by the client, so a retried request makes no second copy).
export const forkBody = z.strictObject({ messageId: idSchema, conversationId: idSchema });

export const exportQuery = z.object({ format: z.enum(["md", "json"]) });
