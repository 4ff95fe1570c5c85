import { describe, expect, it } from "vitest";
import { type ConversationItem, mergePage, touchConversation } from "./conversation-list";

const item = (id: string, updatedAt: string, title: string | null = id): ConversationItem => ({
  id,
  title,
  createdAt: "2025-01-01T00:00:00.000Z",
  updatedAt,
});

describe("mergePage", () => {
  it("appends a page, newest first, each id once", () => {
    const merged = mergePage(
      [item("a", "2025-01-03T00:00:00.000Z"), item("b", "2025-01-02T00:00:00.000Z")],
      [item("b", "2025-01-02T00:00:00.000Z"), item("c", "2025-01-01T00:00:00.000Z")],
    );
    expect(merged.map((i) => i.id)).toEqual(["a", "b", "c"]);
  });

  it("takes the server's title but keeps a newer local activity time", () => {
    const merged = mergePage(
      [item("a", "2025-01-05T00:00:00.000Z", "old title")],
      [item("a", "2025-01-01T00:00:00.000Z", "renamed")],
    );
    expect(merged[0]).toMatchObject({ title: "renamed", updatedAt: "2025-01-05T00:00:00.000Z" });
  });
});

describe("touchConversation", () => {
  it("moves a conversation to the top", () => {
    const list = [item("a", "2025-01-03T00:00:00.000Z"), item("b", "2025-01-02T00:00:00.000Z")];
    const touched = touchConversation(list, "b", "2025-01-04T00:00:00.000Z", "ignored");
    expect(touched.map((i) => i.id)).toEqual(["b", "a"]);
    expect(touched[0]).toMatchObject({ title: "b", updatedAt: "2025-01-04T00:00:00.000Z" });
  });

  it("adds a new conversation with the given title", () => {
    const touched = touchConversation([], "n", "2025-01-04T00:00:00.000Z", "Hello");
    expect(touched).toEqual(
      [item("n", "2025-01-04T00:00:00.000Z", "Hello")].map((i) => ({
        ...i,
        createdAt: "2025-01-04T00:00:00.000Z",
      })),
    );
  });
});
