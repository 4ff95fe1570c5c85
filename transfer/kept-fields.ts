import { type ParsedTokenInfo, TokenParser, TokenType } from "@streamparser/json";
import type { TokenRole } from "./json-grammar";

/**
 * The fields of a conversation an importer reads, as a tree: `"leaf"` for a field read as a
 * string, number, boolean or null; an object with the fields kept (or one shape for every key,
 * for a map keyed by ids); an array with the shape of each entry. `messages` marks the
 * container whose members are the conversation's messages, which are counted.
 */
export type Fields = "leaf" | ObjectFields | ArrayFields;
type ObjectFields = { fields: Record<string, Fields>; everyKey?: Fields; messages?: boolean };
type ArrayFields = { entries: Fields; messages?: boolean };

export const object = (fields: Record<string, Fields>): Fields => ({ fields });
export const map = (every: Fields, options: { messages?: boolean } = {}): Fields => ({
  fields: {},
  everyKey: every,
  ...options,
});
export const array = (entries: Fields, options: { messages?: boolean } = {}): Fields => ({
  entries,
  ...options,
});

const isObjectFields = (fields: Fields): fields is ObjectFields =>
  typeof fields === "object" && "fields" in fields;
const isArrayFields = (fields: Fields): fields is ArrayFields =>
  typeof fields === "object" && "entries" in fields;

type Frame = {
  fields: ObjectFields | ArrayFields;
  kept: number;
  key: string;
  member: Fields | null;
};

const COMMA = { token: TokenType.COMMA, value: "," } as const;
const COLON = { token: TokenType.COLON, value: ":" } as const;

/**
 * Builds one conversation from its tokens, keeping only the fields it is told to: everything
 * else is dropped token by token as it streams, so a file padded with unknown keys or values
 * costs nothing but the time to read it. A kept field holding a container of another kind than
 * expected (an array where an object is read, or any container where a string is) is kept
 * empty, so the reader still sees its type and reports it as it would have.
 *
 * Tokens arrive checked by JsonGrammar, with their role; the tokens given to the parser are
 * valid JSON by construction (the commas, keys and colons of kept members are written here).
 * `kept` and `messages` count what was kept so far, for the caller's limits.
 */
export class ConversationBuilder {
  /** Tokens handed to the parser so far (values, keys, brackets): what memory holds grows with it. */
  kept = 0;
  /** Members of the container marked `messages` so far. */
  messages = 0;
  /** The conversation's `title`, when read as a string: for naming it if it fails. */
  title: string | null = null;
  private readonly parser = new TokenParser({ paths: ["$"] });
  private readonly frames: Frame[] = [];
  // Inside a container being dropped: how deep, and the closing token to keep at its end
  // (when the container itself is kept, empty) or null.
  private skipping = 0;
  private closeAfterSkip: TokenType | null = null;
  private built: { value: unknown } | null = null;

  constructor(private readonly root: Fields) {
    this.parser.onValue = ({ value }) => {
      this.built = { value };
    };
  }

  /** The conversation, once its last token has been written. */
  get value(): unknown {
    return this.built?.value;
  }

  write(role: TokenRole, { token, value }: ParsedTokenInfo): void {
    if (this.skipping > 0) {
      if (role === "open") this.skipping += 1;
      else if (role === "close") {
        this.skipping -= 1;
        if (this.skipping === 0 && this.closeAfterSkip !== null) {
          this.emit(this.closeAfterSkip, this.closeAfterSkip === TokenType.RIGHT_BRACE ? "}" : "]");
        }
      }
      return;
    }
    const frame = this.frames.at(-1);
    if (role === "key") {
      if (!frame || !isObjectFields(frame.fields)) return;
      const key = String(value);
      frame.key = key;
      frame.member = Object.hasOwn(frame.fields.fields, key)
        ? (frame.fields.fields[key] ?? null)
        : (frame.fields.everyKey ?? null);
      if (frame.fields.messages) this.messages += 1;
      return;
    }
    if (role === "colon" || role === "comma") return;
    if (role === "close") {
      this.frames.pop();
      this.emit(token, String(value));
      return;
    }
    // A value or a container opening: where it stands says what is kept of it.
    let fields: Fields | null = this.root;
    if (frame) {
      if (isArrayFields(frame.fields)) {
        fields = frame.fields.entries;
        if (frame.fields.messages) this.messages += 1;
      } else fields = frame.member;
    }
    if (fields === null) {
      // A member nobody reads: dropped with everything inside it.
      if (role === "open") {
        this.skipping = 1;
        this.closeAfterSkip = null;
      }
      return;
    }
    if (frame) this.keepMember(frame);
    if (role === "value") {
      if (this.frames.length === 1 && frame?.key === "title" && typeof value === "string") {
        this.title = value;
      }
      this.emit(token, value);
      return;
    }
    this.emit(token, String(value));
    const wanted = token === TokenType.LEFT_BRACE ? isObjectFields(fields) : isArrayFields(fields);
    if (wanted && fields !== "leaf") {
      this.frames.push({ fields, kept: 0, key: "", member: null });
    } else {
      this.skipping = 1;
      this.closeAfterSkip =
        token === TokenType.LEFT_BRACE ? TokenType.RIGHT_BRACE : TokenType.RIGHT_BRACKET;
    }
  }

  /** The separator and key that come before a kept member of `frame`. */
  private keepMember(frame: Frame) {
    if (frame.kept > 0) this.parser.write(COMMA);
    frame.kept += 1;
    if (isObjectFields(frame.fields)) {
      this.emit(TokenType.STRING, frame.key);
      this.parser.write(COLON);
    }
  }

  private emit(token: TokenType, value: ParsedTokenInfo["value"]) {
    this.kept += 1;
    this.parser.write({ token, value });
  }
}
