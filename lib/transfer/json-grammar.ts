import { type ParsedTokenInfo, TokenType } from "@streamparser/json";

/** What a token is where it stands: a key, a value, a container opening or closing, a separator. */
export type TokenRole = "key" | "value" | "open" | "close" | "colon" | "comma";

// Inside an object: a key or `}` next (just opened), a key (after a comma), `:`, a value,
// `,` or `}`. Inside an array: a value or `]` (just opened), a value (after a comma), `,` or `]`.
type Expect = "key-or-end" | "key" | "colon" | "value" | "value-or-end" | "comma-or-end";

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
  /** What each open container expects next, outermost first; `[]` before and after the root. */
  private readonly open: Array<{ object: boolean; expect: Expect }> = [];
  private ended = false;

  /** Containers open around the next token (0 at the top level). */
  get depth(): number {
    return this.open.length;
  }

  /** Whether the root value is complete. */
  get finished(): boolean {
    return this.ended;
  }

  /** The role of `info` in the document; throws when it cannot come here. */
  read({ token, offset }: ParsedTokenInfo): TokenRole {
    const top = this.open.at(-1);
    if (this.ended) return this.unexpected(token, offset);
    if (!top) {
      if (isPrimitive(token)) {
        this.ended = true;
        return "value";
      }
      return this.opened(token, offset);
    }
    switch (token) {
      case TokenType.COLON:
        if (top.expect !== "colon") return this.unexpected(token, offset);
        top.expect = "value";
        return "colon";
      case TokenType.COMMA:
        if (top.expect !== "comma-or-end") return this.unexpected(token, offset);
        top.expect = top.object ? "key" : "value";
        return "comma";
      case TokenType.RIGHT_BRACE:
      case TokenType.RIGHT_BRACKET: {
        const closes = top.object === (token === TokenType.RIGHT_BRACE);
        if (!closes || !top.expect.endsWith("-or-end")) return this.unexpected(token, offset);
        this.open.pop();
        if (this.open.length === 0) this.ended = true;
        return "close";
      }
    }
    if (top.expect === "key" || top.expect === "key-or-end") {
      if (token !== TokenType.STRING) return this.unexpected(token, offset);
      top.expect = "colon";
      return "key";
    }
    if (top.expect !== "value" && top.expect !== "value-or-end") {
      return this.unexpected(token, offset);
    }
    top.expect = "comma-or-end";
    return isPrimitive(token) ? "value" : this.opened(token, offset);
  }

  private opened(token: TokenType, offset: number): TokenRole {
    if (token === TokenType.LEFT_BRACE) this.open.push({ object: true, expect: "key-or-end" });
    else if (token === TokenType.LEFT_BRACKET) {
      this.open.push({ object: false, expect: "value-or-end" });
    } else return this.unexpected(token, offset);
    return "open";
  }

  private unexpected(token: TokenType, offset: number): never {
    throw new Error(`unexpected ${TokenType[token]} at byte ${offset}`);
  }
}
