import { describe, expect, it } from "vitest";
import {
  type ChatMessage,
  keepBefore,
  lastAssistant,
  mergeServerMessages,
  newestDepth,
  newestStored,
  oldestDepth,
  showEditInPlace,
  sortMessages,
} from "./messages";

function message(id: string, sequence: number | null, extra: Partial<ChatMessage> = {}) {
  return {
    id,
    role: "user",
    content: id,
    status: "complete",
    sequence,
    error: null,
    model: null,
    createdAt: "2025-01-01T00:00:00Z",
    ...extra,
  } satisfies ChatMessage as ChatMessage;
}

const ids = (messages: ChatMessage[]) => messages.map((m) => m.id);

describe("sortMessages", () => {
  it("puts stored messages in sequence order and local ones after, in insertion order", () => {
    const sorted = sortMessages([
      message("p1", null),
      message("b", 2),
      message("p2", null),
      message("a", 1),
    ]);
    expect(ids(sorted)).toEqual(["a", "b", "p1", "p2"]);
  });
});

describe("mergeServerMessages", () => {
  it("keeps each id once, the server's copy winning", () => {
    const current = [
      message("a", 1),
      message("b", null, { pending: { state: "sending", attempts: 0, error: null } }),
    ];
    const merged = mergeServerMessages(current, [message("b", 2), message("c", 3)]);
    expect(ids(merged)).toEqual(["a", "b", "c"]);
    expect(merged[1]?.pending).toBeUndefined();
  });

  it("prepends an older page without duplicating the overlap", () => {
    const current = [message("c", 3), message("d", 4)];
    const merged = mergeServerMessages(current, [
      message("a", 1),
      message("b", 2),
      message("c", 3),
    ]);
    expect(ids(merged)).toEqual(["a", "b", "c", "d"]);
  });

  it("keeps the live copy of the reply being streamed", () => {
    const live = message("r", 2, {
      role: "assistant",
      content: "longer live text",
      status: "streaming",
    });
    const stored = message("r", 2, { role: "assistant", content: "longer", status: "streaming" });
    const merged = mergeServerMessages([live], [stored], new Set(["r"]));
    expect(merged[0]?.content).toBe("longer live text");
  });
});

describe("cursors", () => {
  // On a branch, depth (the page cursor) and sequence (insertion order) differ.
  const list = [
    message("a", 5, { depth: 3 }),
    message("b", 9, { role: "assistant", depth: 4 }),
    message("p", null),
  ];

  it("pages by depth along the branch, not by sequence", () => {
    expect(oldestDepth(list)).toBe(3);
    expect(newestDepth(list)).toBe(4);
    expect(newestStored(list)?.id).toBe("b");
    expect(oldestDepth([message("p", null)])).toBeNull();
    expect(newestDepth([message("p", null)])).toBeNull();
  });

  it("finds the last assistant reply", () => {
    expect(lastAssistant(list)?.id).toBe("b");
    expect(lastAssistant([message("a", 1)])).toBeNull();
  });
});

describe("keepBefore", () => {
  it("keeps the messages before a new version's place, and those not sent yet", () => {
    const list = [message("a", 1), message("b", 2), message("c", 3), message("p", null)];
    expect(ids(keepBefore(list, "b"))).toEqual(["a", "p"]);
    expect(ids(keepBefore(list, "a"))).toEqual(["p"]);
    expect(ids(keepBefore(list, "missing"))).toEqual(["a", "b", "c", "p"]);
  });
});

describe("showEditInPlace", () => {
  const branch = [
    message("q1", 1),
    message("a1", 2, { role: "assistant", parentId: "q1" }),
    message("q2", 3, { parentId: "a1", versionIndex: 0, versionCount: 1 }),
    message("a2", 4, { role: "assistant", parentId: "q2" }),
  ];

  it("shows an unsent edit after its parent, as the next version of the one it replaces", () => {
    const edit = message("e", null, { parentId: "a1" });
    const shown = showEditInPlace([...branch, edit, message("later", null)], "e");
    expect(ids(shown)).toEqual(["q1", "a1", "e", "later"]);
    expect(shown[2]).toMatchObject({ versionIndex: 1, versionCount: 2 });
  });

  it("an edit of a first message shows alone; one whose parent is out of the window stays put", () => {
    const root = message("e", null, { parentId: null });
    expect(ids(showEditInPlace([...branch, root], "e"))).toEqual(["e"]);
    const away = message("e", null, { parentId: "older" });
    expect(ids(showEditInPlace([...branch, away], "e"))).toEqual(["q1", "a1", "q2", "a2", "e"]);
  });
});
