import { expect, it } from "vitest";
import { describeOnEachDriver } from "@/test/support/databases";
import { userWithMessages } from "@/test/support/factories";
import { type Database, searchMessages } from "./index";
import { EXCERPT_CHARS } from "./search-headline";

/** Words that are not the ones searched, `chars` characters of them. */
const filler = (chars: number) => "lorem ipsum dolor sit amet ".repeat(Math.ceil(chars / 27));

async function snippetOf(db: Database, content: string, query: string) {
  const { userId } = await userWithMessages(db, [content]);
  const { items } = await searchMessages(db, { userId, query });
  expect(items).toHaveLength(1);
  const snippet = items[0]?.snippet ?? [];
  return {
    text: snippet.map((segment) => segment.text).join(""),
    matches: snippet.filter((segment) => segment.match).map((segment) => segment.text),
  };
}

describeOnEachDriver("search snippets of long messages", (db) => {
  it("highlights a match near the end of a 100,000-character message", async () => {
    // The word also hides inside other words all along the text, which must not be taken for it.
    const content = `${"threadneedles sewingneedle ".repeat(3_000)}${filler(15_000)} here is the <b>needle</b> &amp; thread`;
    expect(content.length).toBeGreaterThan(95_000);
    const { text, matches } = await snippetOf(db(), content, "needle");
    expect(matches).toEqual(["needle"]);
    expect(text).toContain("here is the <b>needle</b> &amp; thread");
  });

  it("takes the window around the word itself, not around a longer word it begins", async () => {
    const content = `a category of things ${filler(20_000)} the cat sat on the mat`;
    const { text, matches } = await snippetOf(db(), content, "cat ");
    expect(matches).toEqual(["cat"]);
    expect(text).toContain("the cat sat on the mat");
  });

  it("finds the word still being typed, as a prefix, near the end", async () => {
    const { matches } = await snippetOf(db(), `${filler(60_000)} the quarterly report`, "quart");
    expect(matches).toEqual(["quarterly"]);
  });

  it("makes the snippet from a window around the first match, not from the whole text", async () => {
    const content = `the first needle ${filler(90_000)} a second needle at the very end`;
    const { text, matches } = await snippetOf(db(), content, "needle");
    expect(matches).toEqual(["needle"]);
    expect(text).toContain("the first needle");
    // The second match is far outside the window, so the headline never read it.
    expect(text).not.toContain("at the very end");
    expect(text.length).toBeLessThan(EXCERPT_CHARS);
  });

  it("takes a query's regular-expression characters literally", async () => {
    const { matches } = await snippetOf(
      db(),
      `${filler(10_000)} c++ and c.a(b) [x]`,
      'c++ "c.a(b)" [x]',
    );
    expect(matches.length).toBeGreaterThan(0);
  });
});
