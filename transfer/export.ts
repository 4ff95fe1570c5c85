import { conversationModel } from "@/db/conversations";
import type { ExportChunk } from "@/db/export";
import type { StoredMessage } from "@/db/messages";
import { CHATKEEP_FORMAT, CHATKEEP_FORMAT_VERSION, exportedMessage } from "./chatkeep-format";

/**
 * The Chatkeep export document, written as the chunks arrive: a conversation's header, then its
 * messages one per line, then the next. Nothing is held beyond the chunk being written.
 */
export async function* chatkeepDocument(
  chunks: AsyncIterable<ExportChunk>,
  exportedAt: Date,
): AsyncGenerator<string> {
  const header = { format: CHATKEEP_FORMAT, version: CHATKEEP_FORMAT_VERSION };
  yield `${JSON.stringify({ ...header, exportedAt: exportedAt.toISOString() }).slice(0, -1)},"conversations":[`;
  let conversations = 0;
  let messagesInConversation = 0;
  for await (const chunk of chunks) {
    if (chunk.kind === "conversation") {
      const { id, title, createdAt, updatedAt, currentLeafId } = chunk.conversation;
      const opening = JSON.stringify({
        id,
        title,
        createdAt: createdAt.toISOString(),
        updatedAt: updatedAt.toISOString(),
        currentLeafId,
        model: conversationModel(chunk.conversation),
      }).slice(0, -1);
      yield `${conversations > 0 ? "]}," : ""}\n${opening},"messages":[`;
      conversations += 1;
      messagesInConversation = 0;
    } else {
      const lines = chunk.messages.map(
        (message, i) =>
          `${messagesInConversation + i > 0 ? "," : ""}\n${JSON.stringify(exportedMessage(message))}`,
      );
      messagesInConversation += chunk.messages.length;
      yield lines.join("");
    }
  }
  yield `${conversations > 0 ? "]}" : ""}\n]}\n`;
}

const ROLE_NAMES = { user: "You", assistant: "Assistant" } as const;

/** When a message was written, as every reader reads it: UTC, to the minute. */
function readableTime(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function markdownMessage(message: StoredMessage): string {
  const status = message.status === "complete" ? "" : ` (${message.status})`;
  return `\n## ${ROLE_NAMES[message.role]} · ${readableTime(message.createdAt)}${status}\n\n${message.content.trim()}\n`;
}

/** One conversation as Markdown: its title, then each message under its role and time. */
export async function* markdownDocument(
  chunks: AsyncIterable<ExportChunk>,
): AsyncGenerator<string> {
  for await (const chunk of chunks) {
    if (chunk.kind === "conversation") {
      const title =
        chunk.conversation.title?.replace(/\s+/g, " ").trim() || "Untitled conversation";
      yield `# ${title}\n\n_Exported from Chatkeep · started ${readableTime(chunk.conversation.createdAt)}_\n`;
    } else {
      yield chunk.messages.map(markdownMessage).join("");
    }
  }
}

/**
 * A download's bytes, made only as the reader takes them (a pull stream): a slow client holds
 * the export back instead of letting it pile up in memory. Cancelling stops the reading.
 */
export function byteStream(parts: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await parts.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      async cancel() {
        await parts.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

/** A download name that is safe in any file system and header: letters, digits and dashes. */
export function downloadName(title: string | null, extension: string, at: Date): string {
  const slug = (title ?? "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return `${slug || "conversation"}-${at.toISOString().slice(0, 10)}.${extension}`;
}

export function attachmentHeaders(filename: string, contentType: string): HeadersInit {
  return {
    "content-type": contentType,
    "content-disposition": `attachment; filename="${filename}"`,
    // no-transform: a compressing proxy would hold back a download that is written as it is read.
    "cache-control": "no-store, no-transform",
  };
}
