import { type ParsedTokenInfo, TokenType } from "@streamparser/json";

/** What a token is where it stands: a key, a value, a container opening or closing, a separator. */
export type TokenRole = "key" | "value" | "open" | "close" | "colon" | "comma";

// What comes next. Inside an object: a key or `}` (just opened), a key (after a comma), `:`, a
// value, `,` or `}`. Inside an array: a value or `]` (just opened), a value (after a comma),
// `,` or `]`. Numbers rather than strings or objects: this runs for every token of the file.
const TOP = 0;
const OBJECT_KEY_OR_END = 1;
const OBJECT_KEY = 2;
const OBJECT_COLON = 3;
const OBJECT_VALUE = 4;
const OBJECT_COMMA_OR_END = 5;
const ARRAY_VALUE_OR_END = 6;
const ARRAY_VALUE = 7;
const ARRAY_COMMA_OR_END = 8;

const isPrimitive = (token: TokenType) =>
  token === TokenType.STRING ||
  token === TokenType.NUMBER ||
  token === TokenType.TRUE ||
  token === TokenType.FALSE ||
  token === TokenType.NULL;

/**
 * JSON's grammar over a stream of tokens, without building any value: says what each token is
 * and how deep it stands, and throws at the first token that cannot come where it is. The
 * tokenizer only checks spelling; this checks structure, so that values the importer skips
 * are checked as strictly as values it builds, at the cost of one small frame per open
 * container.
 */
export class JsonGrammar {
  /** What the innermost open container expects next (TOP outside any). */
  private state = TOP;
  /** The same for each container around it, outermost first. */
  private readonly around: number[] = [];
  private open = 0;
  private ended = false;

  /** Containers open around the next token (0 at the top level). */
  get depth(): number {
    return this.open;
  }

  /** Whether the root value is complete. */
  get finished(): boolean {
    return this.ended;
  }

  /** The role of a token in the document; throws when it cannot come here. */
  read({ token, offset }: ParsedTokenInfo): TokenRole {
    const state = this.state;
    if (this.ended) return unexpected(token, offset);
    switch (token) {
      case TokenType.COMMA:
        if (state === OBJECT_COMMA_OR_END) this.state = OBJECT_KEY;
        else if (state === ARRAY_COMMA_OR_END) this.state = ARRAY_VALUE;
        else return unexpected(token, offset);
        return "comma";
      case TokenType.COLON:
        if (state !== OBJECT_COLON) return unexpected(token, offset);
        this.state = OBJECT_VALUE;
        return "colon";
      case TokenType.RIGHT_BRACE:
        if (state !== OBJECT_KEY_OR_END && state !== OBJECT_COMMA_OR_END) {
          return unexpected(token, offset);
        }
        return this.close();
      case TokenType.RIGHT_BRACKET:
        if (state !== ARRAY_VALUE_OR_END && state !== ARRAY_COMMA_OR_END) {
          return unexpected(token, offset);
        }
        return this.close();
    }
    if (state === OBJECT_KEY_OR_END || state === OBJECT_KEY) {
      if (token !== TokenType.STRING) return unexpected(token, offset);
      this.state = OBJECT_COLON;
      return "key";
    }
    // A value: where one may stand, after which a comma or the end may come.
    if (state === OBJECT_VALUE) this.state = OBJECT_COMMA_OR_END;
    else if (state === ARRAY_VALUE_OR_END || state === ARRAY_VALUE) {
      this.state = ARRAY_COMMA_OR_END;
    } else if (state !== TOP) return unexpected(token, offset);
    if (token === TokenType.LEFT_BRACE) return this.enter(OBJECT_KEY_OR_END);
    if (token === TokenType.LEFT_BRACKET) return this.enter(ARRAY_VALUE_OR_END);
    if (!isPrimitive(token)) return unexpected(token, offset);
    if (state === TOP) this.ended = true;
    return "value";
  }

  private enter(state: number): TokenRole {
    this.around.push(this.state);
    this.state = state;
    this.open += 1;
    return "open";
  }

  private close(): TokenRole {
    this.state = this.around.pop() ?? TOP;
    this.open -= 1;
    if (this.open === 0) this.ended = true;
    return "close";
  }
}

function unexpected(token: TokenType, offset: number): never {
  throw new Error(`unexpected ${TokenType[token]} at byte ${offset}`);
}
