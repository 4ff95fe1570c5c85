import { APICallError } from "@ai-sdk/provider";
import { DrizzleQueryError } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { describeError, redact } from "./log";

const SECRET = "zq-secret-4b7d";

describe("describeError", () => {
  it("shows a failed query's SQL and SQLSTATE, never its parameters or Postgres's quoted value", () => {
    const postgres = Object.assign(
      new Error(`date/time field value out of range: "+010000-01-01 ${SECRET}"`),
      {
        code: "22008",
        detail: `Key (title)=(${SECRET}) already exists.`,
        where: `unnamed portal parameter $3 = '${SECRET}'`,
        table: "conversations",
        query: "insert into conversations values ($1)",
        params: [SECRET],
      },
    );
    const error = new DrizzleQueryError(
      'insert into "conversations" ("id", "title")\n  values ($1, $2)',
      ["3f0e…", `Title ${SECRET}`],
      postgres,
    );
    const described = describeError(error);
    expect(described).not.toContain(SECRET);
    expect(described).toContain(
      'DrizzleQueryError: failed query: insert into "conversations" ("id", "title") values ($1, $2)',
    );
    expect(described).toContain(
      "caused by: Error [code=22008 table=conversations]: failed query: insert into conversations values ($1)",
    );
    expect(described).toMatch(/\n\s+at /);
  });

  it("leaves out the prompt and the answer an API call error carries", () => {
    const error = new APICallError({
      message: "Bad Request",
      url: "https://api.example/v1/chat/completions",
      requestBodyValues: { messages: [{ role: "user", content: SECRET }] },
      statusCode: 400,
      responseBody: `{"error":"${SECRET}"}`,
    });
    const described = describeError(error);
    expect(described).not.toContain(SECRET);
    expect(described).toMatch(/^AI_APICallError: Bad Request/);
  });

  it("takes the quoted input out of a JSON parse error, and keeps apostrophes", () => {
    let parseError: unknown;
    try {
      JSON.parse(`{"title": ${SECRET}}`);
    } catch (error) {
      parseError = error;
    }
    expect(describeError(parseError)).not.toContain(SECRET);
    expect(describeError(parseError)).toMatch(/^SyntaxError: Unexpected token/);
    expect(redact("The database isn't ready: 'x' and \"y\"")).toBe(
      "The database isn't ready: '…' and \"…\"",
    );
  });

  it("prints one line of a message, and no stack line a message forged", () => {
    const error = new Error(`first line\n    at ${SECRET} (forged.ts:1:1)\nparams: ${SECRET}`);
    const described = describeError(error);
    expect(described).not.toContain(SECRET);
    expect(described.split("\n")[0]).toBe("Error: first line");
    expect(described).toContain("log.test.ts");
  });

  it("describes what is not an error without printing it", () => {
    expect(describeError(SECRET)).toBe("(string)");
    expect(describeError({ message: `said "${SECRET}"` })).toBe('Object: said "…"');
  });
});
