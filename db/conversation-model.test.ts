import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { ValidationError } from "@/lib/errors";
import { describeOnEachDriver } from "@/test/support/databases";
import { makeUser } from "@/test/support/factories";
import {
  conversationModel,
  createConversation,
  finishReply,
  forkConversation,
  getConversation,
  importConversation,
  lastUsedModel,
  setConversationModel,
  startTurn,
} from "./index";

const modelA = { endpointId: "fake", modelId: "model-a" };
const modelB = { endpointId: "ollama", modelId: "llama3.1:8b" };
const lease = { owner: "test", ms: 60_000 };

describeOnEachDriver("a conversation's model", (db) => {
  // A whole turn: its reply finished, so the next one may start.
  const turn = async (userId: string, conversationId: string, model?: typeof modelA) => {
    const replyId = randomUUID();
    const started = await startTurn(db(), {
      userId,
      conversationId,
      message: { id: randomUUID(), content: "hello" },
      replyId,
      lease,
      model,
    });
    await finishReply(db(), { replyId, lease, content: "ok", outcome: { status: "complete" } });
    return started;
  };

  it("is stored at creation, null when none is given (the default)", async () => {
    const user = await makeUser(db());
    const chosen = await createConversation(db(), { userId: user.id, model: modelA });
    const plain = await createConversation(db(), { userId: user.id });
    expect(conversationModel(chosen)).toEqual(modelA);
    expect(conversationModel(plain)).toBeNull();
    const read = await getConversation(db(), { conversationId: chosen.id, userId: user.id });
    expect(read && conversationModel(read)).toEqual(modelA);
  });

  it("changes for its owner only, without reordering the sidebar", async () => {
    const [alice, bob] = [await makeUser(db()), await makeUser(db())];
    const created = await createConversation(db(), { userId: alice.id, model: modelA });
    const changed = await setConversationModel(db(), {
      conversationId: created.id,
      userId: alice.id,
      model: modelB,
    });
    expect(changed && conversationModel(changed)).toEqual(modelB);
    expect(changed?.updatedAt).toEqual(created.updatedAt);
    expect(
      await setConversationModel(db(), {
        conversationId: created.id,
        userId: bob.id,
        model: modelA,
      }),
    ).toBeNull();
    const read = await getConversation(db(), { conversationId: created.id, userId: alice.id });
    expect(read && conversationModel(read)).toEqual(modelB);
  });

  it("refuses a model reference of the wrong shape, storing nothing", async () => {
    const user = await makeUser(db());
    const created = await createConversation(db(), { userId: user.id, model: modelA });
    for (const model of [
      { endpointId: "Not An Id", modelId: "m" },
      { endpointId: "fake", modelId: "" },
      { endpointId: "fake", modelId: "m".repeat(201) },
    ]) {
      await expect(
        setConversationModel(db(), { conversationId: created.id, userId: user.id, model }),
      ).rejects.toBeInstanceOf(ValidationError);
    }
    const read = await getConversation(db(), { conversationId: created.id, userId: user.id });
    expect(read && conversationModel(read)).toEqual(modelA);
  });

  it("becomes the model a turn names, on a new conversation and on an existing one", async () => {
    const user = await makeUser(db());
    const id = randomUUID();
    await turn(user.id, id, modelA);
    const afterFirst = await getConversation(db(), { conversationId: id, userId: user.id });
    expect(afterFirst && conversationModel(afterFirst)).toEqual(modelA);

    await turn(user.id, id, modelB);
    const afterSecond = await getConversation(db(), { conversationId: id, userId: user.id });
    expect(afterSecond && conversationModel(afterSecond)).toEqual(modelB);

    // A turn that names none keeps the conversation's.
    await turn(user.id, id);
    const afterThird = await getConversation(db(), { conversationId: id, userId: user.id });
    expect(afterThird && conversationModel(afterThird)).toEqual(modelB);
  });

  it("is not changed by another user's turn on the conversation", async () => {
    const [alice, bob] = [await makeUser(db()), await makeUser(db())];
    const id = randomUUID();
    await turn(alice.id, id, modelA);
    await expect(turn(bob.id, id, modelB)).rejects.toThrow();
    const read = await getConversation(db(), { conversationId: id, userId: alice.id });
    expect(read && conversationModel(read)).toEqual(modelA);
  });

  it("of the most recently active conversation is the person's last choice", async () => {
    const [alice, bob] = [await makeUser(db()), await makeUser(db())];
    expect(await lastUsedModel(db(), alice.id)).toBeNull();
    const older = randomUUID();
    const newer = randomUUID();
    await turn(alice.id, older, modelA);
    await turn(alice.id, newer, modelB);
    await turn(bob.id, randomUUID(), modelA);
    expect(await lastUsedModel(db(), alice.id)).toEqual(modelB);
    // Writing in the older conversation makes it the most recent again.
    await turn(alice.id, older);
    expect(await lastUsedModel(db(), alice.id)).toEqual(modelA);
  });

  it("goes with a branch into a new chat and with an imported conversation", async () => {
    const user = await makeUser(db());
    const sourceId = randomUUID();
    const started = await turn(user.id, sourceId, modelB);
    const fork = await forkConversation(db(), {
      userId: user.id,
      sourceId,
      messageId: started.userMessage.id,
      conversationId: randomUUID(),
    });
    expect(conversationModel(fork.conversation)).toEqual(modelB);

    const importedId = randomUUID();
    const at = new Date("2026-01-01T00:00:00Z");
    await importConversation(db(), {
      userId: user.id,
      conversation: {
        id: importedId,
        title: "Imported",
        createdAt: at,
        updatedAt: at,
        model: modelA,
        messages: [],
      },
    });
    const imported = await getConversation(db(), { conversationId: importedId, userId: user.id });
    expect(imported && conversationModel(imported)).toEqual(modelA);
  });
});
