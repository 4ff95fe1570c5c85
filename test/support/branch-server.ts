// A stand-in for the conversation API with versions, for the browser's conversation modules:
// messages in a tree, a current branch kept "on the server", and the endpoints that page, send,
// edit, regenerate and switch on it. Every reply finishes at once with a fixed text.
import type { MessageJson } from "@/client/messages";
import { sseResponse } from "./conversation-fakes";

interface Node {
  id: string;
  role: "user" | "assistant";
  content: string;
  parentId: string | null;
  sequence: number;
  status: MessageJson["status"];
}

export class BranchServer {
  readonly nodes: Node[] = [];
  leafId: string | null = null;
  /** What the next reply says. */
  replyText = "Reply";

  constructor(readonly conversationId: string) {}

  /** Stores a message after `parentId` (default: the current leaf); it becomes the leaf. */
  add(role: Node["role"], id: string, content = id, parentId = this.leafId): string {
    const sequence = this.nodes.length + 1;
    this.nodes.push({ id, role, content, parentId, sequence, status: "complete" });
    this.leafId = id;
    return id;
  }

  /** The current branch, root first, as `GET …/messages` items. */
  branch(): MessageJson[] {
    const path: Node[] = [];
    for (let node = this.find(this.leafId); node; node = this.find(node.parentId)) {
      path.unshift(node);
    }
    return path.map((node, index) => {
      const siblings = this.children(node.parentId);
      return {
        id: node.id,
        role: node.role,
        content: node.content,
        sequence: node.sequence,
        status: node.status,
        model: null,
        error: null,
        createdAt: "2025-01-01T00:00:00.000Z",
        parentId: node.parentId,
        depth: index + 1,
        versionIndex: siblings.indexOf(node),
        versionCount: siblings.length,
      };
    });
  }

  handle = async (url: string, init: RequestInit): Promise<Response> => {
    const path = url.replace(`/api/conversations/${this.conversationId}`, "").split("?")[0];
    const body = typeof init.body === "string" ? JSON.parse(init.body) : {};
    if (path === "/messages" && (init.method ?? "GET") === "GET") {
      return Response.json({ items: this.branch(), hasMore: false });
    }
    if (path === "/messages") {
      this.add(
        "user",
        body.id,
        body.content,
        body.parentId === undefined ? undefined : body.parentId,
      );
      return this.reply(`${body.id}-reply`);
    }
    if (path === "/regenerate") {
      const old = this.find(body.messageId);
      if (!old)
        return Response.json(
          { error: { code: "not_found", message: "Reply not found" } },
          { status: 404 },
        );
      this.leafId = old.parentId;
      return this.reply(body.replyId);
    }
    if (path === "/switch") {
      const sibling = this.find(body.siblingOf);
      const target = sibling && this.children(sibling.parentId)[body.versionIndex];
      if (!target)
        return Response.json(
          { error: { code: "not_found", message: "Not found" } },
          { status: 404 },
        );
      // Down the newest version at each fork (the real server remembers the last one viewed).
      let leaf = target;
      for (let next = this.children(leaf.id).at(-1); next; next = this.children(leaf.id).at(-1)) {
        leaf = next;
      }
      this.leafId = leaf.id;
      return Response.json({ leafId: leaf.id, items: this.branch(), hasMore: false });
    }
    if (path === "/stream") return new Response(null, { status: 204 });
    return Response.json({ error: { code: "not_found", message: "Not found" } }, { status: 404 });
  };

  private reply(id: string): Response {
    this.add("assistant", id, this.replyText);
    const meta = {
      replyId: id,
      status: "streaming",
      sequence: this.nodes.length,
      model: "offline",
    };
    return sseResponse([
      { type: "start", messageId: id, messageMetadata: meta },
      { type: "text-delta", id: "text", delta: this.replyText },
      { type: "finish", messageMetadata: { ...meta, status: "complete" } },
    ]);
  }

  find(id: string | null | undefined): Node | undefined {
    return id ? this.nodes.find((node) => node.id === id) : undefined;
  }

  private children(parentId: string | null): Node[] {
    return this.nodes.filter((node) => node.parentId === parentId);
  }
}
