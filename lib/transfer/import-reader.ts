import { type ParsedTokenInfo, Tokenizer, TokenParser, TokenType } from "@streamparser/json";
import { ValidationError } from "@/lib/errors";
import { CHATGPT_FORMAT } from "./chatgpt";
import { CHATKEEP_FORMAT, CHATKEEP_FORMAT_VERSION } from "./chatkeep-format";

export type ImportFormat = typeof CHATKEEP_FORMAT | typeof CHATGPT_FORMAT;

/** Deepest nesting accepted: ChatGPT's deepest real content is about a dozen levels. */
export const IMPORT_MAX_DEPTH = 64;

export interface ReadConversation {
  format: ImportFormat;
  /** Its position in the file, from 0. */
  index: number;
  value: unknown;
}

const WRONG_SHAPE =
  "The file is neither a Chatkeep export nor ChatGPT's conversations.json: expected an object with format “chatkeep” or an array of conversations";

/**
 * Reads an import file as it arrives, chunk by chunk, and hands out each conversation as soon
 * as its closing bracket is read: only the conversation being read is held, never the file.
 * The format is told by the first token: `[` is ChatGPT's array, `{` a Chatkeep export (whose
 * `format` and `version` must come before its `conversations`, as Chatkeep writes them).
 * Nesting deeper than `maxDepth` is refused on the bracket that goes too deep, before the
 * parser builds anything of it. Every problem is a ValidationError saying what is wrong.
 */
export class ImportReader {
  format: ImportFormat | null = null;
  private readonly tokenizer = new Tokenizer();
  private parser: TokenParser | null = null;
  private readonly utf8 = new TextDecoder("utf-8", { fatal: true });
  private readonly ready: ReadConversation[] = [];
  private depth = 0;
  private started = false;
  private finished = false;
  private version: number | null = null;
  private count = 0;
  // Inside the top-level object: whether the next string is a key, and the last key read.
  private expectKey = false;
  private topKey: string | null = null;
  private afterColon = false;

  constructor(private readonly maxDepth = IMPORT_MAX_DEPTH) {
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
    this.guard(() => this.tokenizer.write(chunk));
  }

  /** After the last chunk: throws when the document is incomplete. */
  end(): void {
    if (!this.started) throw new ValidationError("The file is empty");
    if (!this.finished) {
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
      if (error instanceof ValidationError) throw error;
      const detail = error instanceof Error ? error.message : String(error);
      throw new ValidationError(`The file is not valid JSON: ${detail}`);
    }
  }

  private onToken(info: ParsedTokenInfo) {
    const { token } = info;
    if (!this.started) this.start(token);
    if (this.depth === 1 && this.format === CHATKEEP_FORMAT) this.watchTopLevel(info);
    if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) {
      this.depth += 1;
      if (this.depth > this.maxDepth) {
        throw new ValidationError(
          `The file nests deeper than ${this.maxDepth} levels (at byte ${info.offset}); no export does`,
        );
      }
    } else if (token === TokenType.RIGHT_BRACE || token === TokenType.RIGHT_BRACKET) {
      this.depth -= 1;
    }
    this.parser?.write(info);
    if (this.depth === 0) this.finished = true;
  }

  private start(token: TokenType) {
    this.started = true;
    if (token === TokenType.LEFT_BRACKET) {
      this.format = CHATGPT_FORMAT;
      this.parser = this.newParser(["$.*"]);
    } else if (token === TokenType.LEFT_BRACE) {
      this.format = CHATKEEP_FORMAT;
      this.expectKey = true;
      this.parser = this.newParser(["$.format", "$.version", "$.conversations.*"]);
    } else {
      throw new ValidationError(WRONG_SHAPE);
    }
  }

  private newParser(paths: string[]): TokenParser {
    // keepStack false: a conversation handed out is dropped from its array at once.
    const parser = new TokenParser({ paths, keepStack: false });
    parser.onValue = ({ value, key, stack }) => {
      if (stack.length === 1 && key === "format") return this.checkFormat(value);
      if (stack.length === 1 && key === "version") return this.checkVersion(value);
      if (this.format === CHATKEEP_FORMAT && this.version === null) {
        throw new ValidationError(
          "Not a Chatkeep export: “format” and “version” must come before “conversations”",
        );
      }
      this.ready.push({ format: this.format ?? CHATGPT_FORMAT, index: this.count++, value });
    };
    return parser;
  }

  private checkFormat(value: unknown) {
    if (value !== CHATKEEP_FORMAT) throw new ValidationError(WRONG_SHAPE);
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

  /** Keys and values of the top-level object: `conversations` must be an array. */
  private watchTopLevel({ token, value }: ParsedTokenInfo) {
    if (this.afterColon) {
      this.afterColon = false;
      if (this.topKey === "conversations" && token !== TokenType.LEFT_BRACKET) {
        throw new ValidationError("The export's “conversations” must be an array");
      }
      return;
    }
    if (token === TokenType.STRING && this.expectKey) {
      this.topKey = String(value);
      this.expectKey = false;
    } else if (token === TokenType.COLON) {
      this.afterColon = true;
    } else if (token === TokenType.COMMA) {
      this.expectKey = true;
    }
  }
}
