import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { describeOnEachDriver } from "@/test/support/databases";
import { makeConversation, makeUser } from "@/test/support/factories";
import { addMessage, getMessages, locateMessage, openAtMessage, searchMessages } from "./index";

describeOnEachDriver("opening a conversation at a message", (db) => {
  type Owned = { conversationId: string; userId: string };
  const say = (base: Owned, content: string, parentId?: string | null) =>
    addMessage(db(), { ...base, id: randomUUID(), role: "user", content, parentId });
  const contents = async (base: Owned) =>
    (await getMessages(db(), { ...base, limit: 200 })).items.map((m) => m.content);

  it("opens a search hit on a branch not shown: that branch becomes current, around it", async () => {
    const user = await makeUser(db());
    const base = { conversationId: (await makeConversation(db(), user.id)).id, userId: user.id };
    const root = await say(base, "root");
    await say(base, "first version");
    await say(base, "about a lighthouse keeper");
    await say(base, "after it");
    await say(base, "second version", root.id);
    await say(base, "elsewhere");
    expect(await contents(base)).toEqual(["root", "second version", "elsewhere"]);

    const [hit] = (await searchMessages(db(), { userId: user.id, query: "lighthouse" })).items;
    expect(hit?.message).toBeTruthy();
    const place = await locateMessage(db(), { ...base, messageId: hit?.message?.id ?? "" });
    expect(place).toMatchObject({ id: hit?.message?.id, sequence: 3, depth: 3 });
    // A link of before branches names the same message by its sequence.
    expect(await locateMessage(db(), { ...base, sequence: 3 })).toEqual(place);

    const page = await openAtMessage(db(), {
      ...base,
      messageId: place?.id ?? "",
      depth: place?.depth ?? 0,
      limit: 2,
    });
    expect(page.items.map((m) => m.content)).toEqual([
      "first version",
      "about a lighthouse keeper",
    ]);
    expect(page).toMatchObject({ hasMore: true, hasNewer: true });
    expect(await contents(base)).toEqual([
      "root",
      "first version",
      "about a lighthouse keeper",
      "after it",
    ]);
  });

  it("finds nothing of another user's, nor a message outside the conversation", async () => {
    const [alice, bob] = [await makeUser(db()), await makeUser(db())];
    const mine = { conversationId: (await makeConversation(db(), alice.id)).id, userId: alice.id };
    const bobs = { conversationId: (await makeConversation(db(), bob.id)).id, userId: bob.id };
    const message = await say(mine, "private");
    await say(bobs, "bob's");
    expect(
      await locateMessage(db(), { ...mine, userId: bob.id, messageId: message.id }),
    ).toBeNull();
    expect(await locateMessage(db(), { ...bobs, messageId: message.id })).toBeNull();
    expect(await locateMessage(db(), { ...mine, userId: bob.id, sequence: 1 })).toBeNull();
    expect(await locateMessage(db(), { ...mine, sequence: 2 })).toBeNull();
  });
});
