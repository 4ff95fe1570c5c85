import { randomUUID } from "node:crypto";
import { after } from "next/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { continueReply, regenerateReply, type ServedReply, sendMessage } from "@/chat";
import type { ReplyBatch } from "@/lib/reply-stream";
import * as continueRoute from "./continue/route";
import * as messagesRoute from "./messages/route";
import * as regenerateRoute from "./regenerate/route";
import * as streamRoute from "./stream/route";

// The routes alone: the flow and the session are stand-ins, and `after()` is watched, since
// outside a Next.js request it has no request to extend.
vi.mock("next/server", () => ({ after: vi.fn() }));
vi.mock("@/auth", () => ({ requireApiUser: vi.fn(async () => ({ id: randomUUID() })) }));
vi.mock("@/server/database", () => ({ database: vi.fn(async () => ({})) }));
vi.mock("@/chat", () => ({
  sendMessage: vi.fn(),
  regenerateReply: vi.fn(),
  continueReply: vi.fn(),
  resumeReply: vi.fn(),
}));

/** A reply whose generation is still running until the test says it is over. */
function runningReply() {
  let finish = () => {};
  const generated = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const stream = new ReadableStream<ReplyBatch>({
    start: (controller) => controller.enqueue([{ type: "start", messageId: randomUUID() }]),
  });
  const reply: ServedReply = { stream, generated };
  return { reply, finish };
}

function post(path: string, body: unknown) {
  return new Request(`http://localhost${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

const conversationId = randomUUID();
const context = { params: Promise.resolve({ id: conversationId }) };

describe("routes that start a reply keep its generation alive past the response", () => {
  beforeEach(() => {
    vi.mocked(after).mockClear();
  });

  it("POST …/messages answers at once and hands the generation to after()", async () => {
    const { reply, finish } = runningReply();
    vi.mocked(sendMessage).mockResolvedValue(reply);
    const response = await messagesRoute.POST(
      post(`/api/conversations/${conversationId}/messages`, { id: randomUUID(), content: "Hi" }),
      context,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(after).toHaveBeenCalledTimes(1);
    expect(vi.mocked(after).mock.calls[0]?.[0]).toBe(reply.generated);
    await response.body?.cancel();
    finish();
  });

  it.each([
    ["…/regenerate", "regenerate", {}, regenerateRoute, regenerateReply],
    ["…/continue", "continue", {}, continueRoute, continueReply],
    // What older clients send: both operations to …/regenerate, told apart by `mode`.
    [
      "…/regenerate, mode continue",
      "regenerate",
      { mode: "continue" },
      regenerateRoute,
      continueReply,
    ],
    [
      "…/regenerate, mode regenerate",
      "regenerate",
      { mode: "regenerate" },
      regenerateRoute,
      regenerateReply,
    ],
  ] as const)(
    "POST %s runs its operation, answers at once and hands the generation to after()",
    async (_, path, fields, route, operation) => {
      vi.mocked(regenerateReply).mockReset();
      vi.mocked(continueReply).mockReset();
      const { reply, finish } = runningReply();
      vi.mocked(operation).mockResolvedValue(reply);
      const messageId = randomUUID();
      const response = await route.POST(
        post(`/api/conversations/${conversationId}/${path}`, { messageId, ...fields }),
        context,
      );
      expect(response.status).toBe(200);
      expect(operation).toHaveBeenCalledExactlyOnceWith(
        {},
        expect.objectContaining({ conversationId, replyId: messageId }),
      );
      expect(after).toHaveBeenCalledTimes(1);
      expect(vi.mocked(after).mock.calls[0]?.[0]).toBe(reply.generated);
      await response.body?.cancel();
      finish();
    },
  );

  it("a refused request starts nothing to keep alive", async () => {
    vi.mocked(sendMessage).mockClear();
    const response = await messagesRoute.POST(
      post(`/api/conversations/${conversationId}/messages`, { id: "not-a-uuid", content: "Hi" }),
      context,
    );
    expect(response.status).toBe(400);
    expect(sendMessage).not.toHaveBeenCalled();
    expect(after).not.toHaveBeenCalled();
  });

  it("every route that streams a reply declares how long a host may let it run", () => {
    for (const route of [messagesRoute, regenerateRoute, continueRoute, streamRoute]) {
      expect(route.maxDuration).toBeGreaterThanOrEqual(60);
    }
  });
});
