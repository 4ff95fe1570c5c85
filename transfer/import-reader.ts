import { type ParsedTokenInfo, Tokenizer, TokenType } from "@streamparser/json";
import { AppError, TooLargeError, ValidationError } from "@/lib/errors";
import {
  DEFAULT_MAX_CONVERSATION_BYTES,
  DEFAULT_MAX_CONVERSATION_MESSAGES,
  formatBytes,
  KEPT_TOKENS_PER_MESSAGE,
} from "@/lib/import-limits";
import { CHATGPT_FIELDS, CHATGPT_FORMAT } from "./chatgpt";
import { CHATKEEP_FIELDS, CHATKEEP_FORMAT, CHATKEEP_FORMAT_VERSION } from "./chatkeep-format";
import { JsonGrammar, type TokenRole } from "./json-grammar";
import { ConversationBuilder } from "./kept-fields";

/** The longest number accepted: no export writes one longer (a float's digits are about 25). */
const MAX_NUMBER_CHARS = 64;

export type ImportFormat = typeof CHATKEEP_FORMAT | typeof CHATGPT_FORMAT;

/** Deepest nesting accepted: ChatGPT's deepest real content is about a dozen levels. */
export const IMPORT_MAX_DEPTH = 64;

export interface ReaderLimits {
  maxDepth?: number;
  /** Bytes one conversation may take in the file. */
  maxConversationBytes?: number;
  /** Messages one conversation may hold (ChatGPT: nodes of its tree). */
  maxConversationMessages?: number;
}

export interface ReadConversation {
  format: ImportFormat;
  /** A Chatkeep export's version, read before its conversations. */
  version?: number;
  /** Its position in the file, from 0. */
  index: number;
  /** The conversation's fields the importer reads; undefined when it was refused. */
  value: unknown;
  /** Why it was refused while being read (over a limit), and its title if read by then. */
  refused?: { reason: string; title: string | null };
}

interface Reading {
  index: number;
  /** Byte offset of its first token, and the depth it stands at. */
  start: number;
  depth: number;
  /** Null once refused: what was built of it is dropped at once. */
  builder: ConversationBuilder | null;
  refused: string | null;
  title: string | null;
}

const WRONG_SHAPE =
  "The file is neither a Chatkeep export nor ChatGPT's conversations.json: expected an object with format “chatkeep” or an array of conversations";

const formatCount = (n: number) => n.toLocaleString("en-US");

/**
 * Reads an import file as it arrives, chunk by chunk, and hands out each conversation as soon
 * as its closing bracket is read: only the conversation being read is held, never the file,
 * and of it only the fields the importer reads (CHATGPT_FIELDS, CHATKEEP_FIELDS): anything
 * else is checked as JSON and dropped as it streams.
 *
 * The format is told by the first token: `[` is ChatGPT's array, `{` a Chatkeep export (whose
 * `format` and `version` must come before its `conversations`, as Chatkeep writes them).
 * Nesting deeper than `maxDepth` is refused on the bracket that goes too deep. A conversation
 * over its limits (bytes, messages, tokens kept) is handed out refused, with the reason, and
 * the rest of it is read without being kept. Every problem with the file as a whole is a
 * ValidationError (or a TooLargeError) saying what is wrong.
 */
export class ImportReader {
  format: ImportFormat | null = null;
  // Partial tokens: at the end of each chunk, the string or number still being read is
  // reported, so one that grows past the limits is caught before the tokenizer holds it all.
  private readonly tokenizer = new Tokenizer({ emitPartialTokens: true });
  private readonly grammar = new JsonGrammar();
  private readonly utf8 = new TextDecoder("utf-8", { fatal: true });
  private readonly ready: ReadConversation[] = [];
  private readonly maxDepth: number;
  private readonly maxBytes: number;
  private readonly maxMessages: number;
  private bytes = 0;
  private started = false;
  private version: number | null = null;
  private count = 0;
  /** Chatkeep: the key of the top-level member being read. */
  private topKey: string | null = null;
  private reading: Reading | null = null;
  /** Where a string or number too long to hold starts. */
  private oversized: number | null = null;
  private longNumber: number | null = null;

  constructor(limits: ReaderLimits = {}) {
    this.maxDepth = limits.maxDepth ?? IMPORT_MAX_DEPTH;
    this.maxBytes = limits.maxConversationBytes ?? DEFAULT_MAX_CONVERSATION_BYTES;
    this.maxMessages = limits.maxConversationMessages ?? DEFAULT_MAX_CONVERSATION_MESSAGES;
    this.tokenizer.onToken = (info) => this.onToken(info);
  }

  /** Feeds the next bytes; conversations they complete are then available from `take()`. */
  write(chunk: Uint8Array): void {
    try {
      // The tokenizer would read broken UTF-8 as U+FFFD; a file that is not UTF-8 is refused.
      this.utf8.decode(chunk, { stream: true });
    } catch {
      throw new ValidationError("The file is not UTF-8 text");
    }
    this.bytes += chunk.byteLength;
    this.guard(() => this.tokenizer.write(chunk));
    if (this.oversized !== null) {
      throw new TooLargeError(
        `The file holds a single value larger than ${formatBytes(this.maxBytes)} (from byte ${this.oversized}), the most a conversation may take`,
      );
    }
    if (this.longNumber !== null) {
      throw new ValidationError(
        `The file holds a number longer than ${MAX_NUMBER_CHARS} characters (at byte ${this.longNumber}); no export does`,
      );
    }
    // Between tokens too (a long string, or whitespace): the conversation's bytes so far.
    if (this.reading) this.checkBytes(this.reading, this.bytes);
  }

  /** After the last chunk: throws when the document is incomplete. */
  end(): void {
    if (!this.started) throw new ValidationError("The file is empty");
    if (!this.grammar.finished) {
      throw new ValidationError("The file ends in the middle of its JSON: it is truncated");
    }
    if (this.format === CHATKEEP_FORMAT && this.version === null) {
      throw new ValidationError(WRONG_SHAPE);
    }
  }

  /** The conversations read since the last call, in file order. */
  take(): ReadConversation[] {
    return this.ready.splice(0);
  }

  private guard(action: () => void) {
    try {
      action();
    } catch (error) {
      if (error instanceof AppError) throw error;
      const detail = error instanceof Error ? error.message : String(error);
      throw new ValidationError(`The file is not valid JSON: ${detail}`);
    }
  }

  private onToken(info: ParsedTokenInfo) {
    if (info.partial) return this.checkPartial(info);
    if (!this.started) this.start(info.token);
    const depth = this.grammar.depth;
    const role = this.grammar.read(info);
    if (role === "open" && this.grammar.depth > this.maxDepth) {
      throw new ValidationError(
        `The file nests deeper than ${this.maxDepth} levels (at byte ${info.offset}); no export does`,
      );
    }
    if (!this.reading && this.isConversation(depth, role)) this.begin(info, depth);
    if (this.reading) return this.read(this.reading, role, info);
    if (this.format === CHATKEEP_FORMAT && depth === 1) this.watchTopLevel(role, info);
  }

  /** A value standing where the file's conversations are. */
  private isConversation(depth: number, role: TokenRole): boolean {
    if (role !== "open" && role !== "value") return false;
    if (this.format === CHATGPT_FORMAT) return depth === 1;
    return depth === 2 && this.topKey === "conversations";
  }

  private start(token: TokenType) {
    this.started = true;
    if (token === TokenType.LEFT_BRACKET) this.format = CHATGPT_FORMAT;
    else if (token === TokenType.LEFT_BRACE) this.format = CHATKEEP_FORMAT;
    else throw new ValidationError(WRONG_SHAPE);
  }

  private begin(info: ParsedTokenInfo, depth: number) {
    if (this.format === CHATKEEP_FORMAT && this.version === null) {
      throw new ValidationError(
        "Not a Chatkeep export: “format” and “version” must come before “conversations”",
      );
    }
    const fields = this.format === CHATKEEP_FORMAT ? CHATKEEP_FIELDS : CHATGPT_FIELDS;
    this.reading = {
      index: this.count++,
      start: info.offset,
      depth,
      builder: new ConversationBuilder(fields),
      refused: null,
      title: null,
    };
  }

  private read(reading: Reading, role: TokenRole, info: ParsedTokenInfo) {
    this.checkBytes(reading, info.offset + 1);
    const builder = reading.builder;
    if (builder) {
      builder.write(role, info);
      if (builder.messages > this.maxMessages) {
        this.refuse(reading, `has more than ${formatCount(this.maxMessages)} messages, the limit`);
      } else if (builder.kept > this.maxMessages * KEPT_TOKENS_PER_MESSAGE) {
        this.refuse(
          reading,
          `holds more than ${formatCount(this.maxMessages * KEPT_TOKENS_PER_MESSAGE)} values in the fields imported, the limit`,
        );
      }
    }
    if (this.grammar.depth > reading.depth) return;
    // Its last token: the conversation is complete.
    this.reading = null;
    const format = this.format ?? CHATGPT_FORMAT;
    const read = {
      format,
      index: reading.index,
      ...(this.version ? { version: this.version } : {}),
    };
    if (reading.refused === null) {
      this.ready.push({ ...read, value: reading.builder?.value });
    } else {
      const refused = { reason: reading.refused, title: reading.title };
      this.ready.push({ ...read, value: undefined, refused });
    }
  }

  /** Refuses the conversation being read once `end` (an offset past its last byte) is too far. */
  private checkBytes(reading: Reading, end: number) {
    if (reading.refused === null && end - reading.start > this.maxBytes) {
      this.refuse(reading, `is larger than ${formatBytes(this.maxBytes)}, the limit`);
    }
  }

  private refuse(reading: Reading, reason: string) {
    reading.refused = `${reason} for one conversation`;
    reading.title = reading.builder?.title ?? null;
    reading.builder = null;
  }

  /**
   * A string or number still being read at the end of a chunk. The tokenizer keeps all of it
   * until it ends; one longer than a conversation may be cannot be skipped without holding it,
   * so it stops the import (it is no export's). Noted here and thrown once the chunk is written:
   * the tokenizer swallows what a partial number's callback throws.
   */
  private checkPartial(info: ParsedTokenInfo) {
    if (info.token !== TokenType.STRING && info.token !== TokenType.NUMBER) return;
    if (this.bytes - info.offset > this.maxBytes) this.oversized = info.offset;
    // The tokenizer parses a partial number again, whole, at the end of every chunk: a number
    // spanning many chunks would cost time in the square of its length.
    if (info.token === TokenType.NUMBER && this.bytes - info.offset > MAX_NUMBER_CHARS) {
      this.longNumber ??= info.offset;
    }
  }

  /** Chatkeep's top-level members: `format` and `version` are checked, `conversations` read. */
  private watchTopLevel(role: TokenRole, { token, value }: ParsedTokenInfo) {
    if (role === "key") {
      this.topKey = String(value);
      return;
    }
    if (role !== "value" && role !== "open") return;
    if (this.topKey === "format" && value !== CHATKEEP_FORMAT) {
      throw new ValidationError(WRONG_SHAPE);
    }
    if (this.topKey === "version") this.checkVersion(role === "value" ? value : null);
    if (this.topKey === "conversations" && token !== TokenType.LEFT_BRACKET) {
      throw new ValidationError("The export's “conversations” must be an array");
    }
  }

  private checkVersion(value: unknown) {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
      throw new ValidationError("The export's version must be a whole number");
    }
    if (value > CHATKEEP_FORMAT_VERSION) {
      throw new ValidationError(
        `This export is version ${value}; this server reads versions up to ${CHATKEEP_FORMAT_VERSION}`,
      );
    }
    this.version = value;
  }
}
