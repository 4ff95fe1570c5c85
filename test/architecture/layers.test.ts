import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkImports, findCycles, type ImportEdge, projectImports } from "./layers";

const root = path.resolve(import.meta.dirname, "../..");
const edges = projectImports(root);

const local = (from: string, to: string, typeOnly = false): ImportEdge => ({
  from,
  to,
  typeOnly,
  local: true,
});
const pkg = (from: string, to: string, typeOnly = false): ImportEdge => ({
  from,
  to,
  typeOnly,
  local: false,
});

describe("the layout's import rules", () => {
  it("reads the imports of the whole tree", () => {
    // A parser that found nothing would pass every rule below.
    expect(edges.length).toBeGreaterThan(500);
    expect(edges).toContainEqual(local("chat/index.ts", "db/index"));
    expect(edges).toContainEqual(pkg("db/database.ts", "drizzle-orm/pg-core", true));
  });

  it("holds for every production import", () => {
    const broken = checkImports(edges).map(
      ({ edge, reason }) => `${edge.from} → ${edge.to}: ${reason}`,
    );
    expect(broken).toEqual([]);
  });

  it("leaves no import cycle among production modules", () => {
    expect(findCycles(edges)).toEqual([]);
  });

  it.each([
    ["db/ importing ai/", local("db/messages.ts", "ai/context")],
    ["ai/ importing db/", local("ai/provider.ts", "db/index")],
    ["db/ importing server/", local("db/client.ts", "server/env")],
    ["lib/ importing anything above it", local("lib/validation.ts", "db/index")],
    ["a domain module importing another", local("transfer/import.ts", "chat/index")],
    ["server/ importing a domain module", local("server/http.ts", "auth/index")],
    ["components/ importing db/", local("components/chat/chat-view.tsx", "db/index")],
    ["components/ importing a page", local("components/chat/chat-view.tsx", "app/(chat)/page")],
    ["client/ importing components/", local("client/api.ts", "components/ui/cn")],
    ["production code importing test support", local("chat/index.ts", "test/support/factories")],
    ["the tables outside db/", local("app/api/search/route.ts", "db/schema")],
    ["drizzle outside db/", pkg("chat/index.ts", "drizzle-orm")],
    ["a model provider outside ai/", pkg("chat/reply-run.ts", "@ai-sdk/openai-compatible")],
    ["next-auth outside auth/", pkg("app/api/search/route.ts", "next-auth")],
  ])("refuses %s", (_, edge) => {
    expect(checkImports([edge])).toHaveLength(1);
  });

  it.each([
    [
      "a server action's reference from a component",
      local("components/auth/sign-in-form.tsx", "app/sign-in/actions"),
    ],
    ["a type-only import of a package", pkg("lib/reply-stream.ts", "ai", true)],
    ["tests importing across layers", local("db/messages.test.ts", "test/support/factories")],
  ])("allows %s", (_, edge) => {
    expect(checkImports([edge])).toEqual([]);
  });

  it("finds a cycle", () => {
    const cycle = [
      local("db/client.ts", "db/search-language"),
      local("db/search-language.ts", "db/client"),
    ];
    expect(findCycles(cycle)).toEqual([["db/client", "db/search-language"]]);
  });
});
