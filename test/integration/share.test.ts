import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, readReply, signedInClient } from "@/test/support/api-client";
import type { AppServer } from "@/test/support/app-server";
import { startServerOn } from "./servers";

// The share link's public page and the owner's API, against the production build. One
// backend: the repository behind them is tested on every driver in db/shares.test.ts.

const OWNER_NAME = "Ada Ownerly";

describe("share links", () => {
  let server: AppServer;
  let owner: ApiClient & { email: string };
  let visitor: ApiClient & { email: string };

  beforeAll(async () => {
    server = await startServerOn("pglite");
    owner = await namedClient(server.url, OWNER_NAME);
    visitor = await signedInClient(server.url);
  });
  afterAll(() => server?.kill());

  async function conversationWith(text: string): Promise<string> {
    const id = randomUUID();
    const reply = await readReply(await owner.send(id, text));
    expect(reply.finish?.status).toBe("complete");
    return id;
  }

  async function share(conversationId: string): Promise<{ id: string; path: string }> {
    const response = await owner.json(`/api/conversations/${conversationId}/shares`, "POST", {});
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body.path).toMatch(/^\/s\/[A-Za-z0-9_-]{43}$/);
    return body;
  }

  it("shows the conversation as it was, signed out, with nothing of its owner", async () => {
    const conversationId = await conversationWith("Shared question about tides");
    const link = await share(conversationId);
    await readReply(await owner.send(conversationId, "A later secret follow-up"));

    const anonymous = new ApiClient(server.url);
    const response = await anonymous.fetch(link.path);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-robots-tag")).toContain("noindex");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin");
    const html = await response.text();
    expect(html).toMatch(/<meta name="robots" content="noindex[^"]*"/);
    expect(html).toContain("Shared question about tides");
    expect(html).not.toContain("A later secret follow-up");
    expect(html).not.toContain(owner.email);
    expect(html).not.toContain(OWNER_NAME);
    expect(html).not.toContain('data-testid="composer"');
    // Signed out: a button to sign in and come back, which never puts the token in an address.
    expect(html).toContain('data-testid="sign-in-to-continue"');
    expect(html).not.toContain("callbackUrl");

    // A signed-in visitor is offered the copy, and still sees nothing of the owner.
    const seen = await (await visitor.fetch(link.path)).text();
    expect(seen).toContain('data-testid="continue-in-account"');
    expect(seen).not.toContain(owner.email);
  });

  it("sends a signed-out visitor to sign in and back with the token in no address", async () => {
    const link = await share(await conversationWith("Worth continuing"));
    const token = tokenOf(link.path);
    const anonymous = new ApiClient(server.url);
    const html = await (await anonymous.fetch(link.path)).text();
    // "Sign in to continue", posted as a browser without JavaScript posts the form: every
    // field of it (React's own, naming the action and its state, and the token).
    const formHtml = /<form[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1] ?? "";
    expect(formHtml).toContain('data-testid="sign-in-to-continue"');
    const form = new FormData();
    for (const [, name, value] of formHtml.matchAll(
      /<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?\/>/g,
    )) {
      form.set(name ?? "", (value ?? "").replaceAll("&quot;", '"'));
    }
    expect(form.get("token")).toBe(token);
    const posted = await anonymous.fetch(link.path, {
      method: "POST",
      headers: { origin: server.url },
      body: form,
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.get("location")).toBe("/sign-in");

    // The sign-in page comes back to the link (in its form's body), and links on without it.
    const signIn = await (await anonymous.fetch("/sign-in")).text();
    expect(signIn).toMatch(new RegExp(`name="callbackUrl" value="${link.path}"`));
    expect(signIn).not.toContain("callbackUrl=");
    const signUp = await (await anonymous.fetch("/sign-up")).text();
    expect(signUp).toMatch(new RegExp(`name="callbackUrl" value="${link.path}"`));
    expect(signUp).not.toContain("callbackUrl=");

    // An address that says otherwise wins, but only for a path on this site.
    const elsewhere = await (await anonymous.fetch("/sign-in?callbackUrl=/settings")).text();
    expect(elsewhere).toContain('name="callbackUrl" value="/settings"');
    const offSite = await (
      await anonymous.fetch(`/sign-in?callbackUrl=${encodeURIComponent("https://evil.example/")}`)
    ).text();
    expect(offSite).toContain('name="callbackUrl" value="/"');
  });

  it("answers an unknown, malformed or revoked token and a deleted conversation with the same 404", async () => {
    const revoked = await share(await conversationWith("Soon revoked"));
    expect((await owner.json(`/api/shares/${revoked.id}`, "DELETE")).status).toBe(204);
    const deletedConversation = await conversationWith("Soon deleted");
    const orphaned = await share(deletedConversation);
    expect((await owner.json(`/api/conversations/${deletedConversation}`, "DELETE")).status).toBe(
      204,
    );

    const tokens = [
      randomBytes(32).toString("base64url"),
      "not-a-token",
      `${randomBytes(32).toString("base64url")}x`,
      tokenOf(revoked.path),
      tokenOf(orphaned.path),
    ];
    const anonymous = new ApiClient(server.url);
    const answers = [];
    for (const token of tokens) {
      const response = await anonymous.fetch(`/s/${token}`);
      expect(response.headers.get("x-robots-tag")).toContain("noindex");
      answers.push({ status: response.status, body: normalize(await response.text(), token) });
    }
    expect(answers[0]?.status).toBe(404);
    expect(answers[0]?.body.join("\n")).toContain("Page not found");
    for (const answer of answers) expect(answer).toEqual(answers[0]);
  });

  it("lists the owner's shares and lets only the owner revoke them", async () => {
    const link = await share(await conversationWith("Listed"));
    const listed = await (await owner.fetch("/api/shares")).json();
    expect(listed.items[0]).toMatchObject({ id: link.id, path: link.path, title: "Listed" });
    const others = await (await visitor.fetch("/api/shares")).json();
    expect(others.items).toEqual([]);

    expect((await visitor.json(`/api/shares/${link.id}`, "DELETE")).status).toBe(404);
    expect((await new ApiClient(server.url).fetch(link.path)).status).toBe(200);
    expect((await owner.json(`/api/shares/${link.id}`, "DELETE")).status).toBe(204);
    expect((await new ApiClient(server.url).fetch(link.path)).status).toBe(404);
  });

  it("makes one share of a retried create, and none of someone else's conversation", async () => {
    const conversationId = await conversationWith("Retried");
    const id = randomUUID();
    const path = `/api/conversations/${conversationId}/shares`;
    const first = await (await owner.json(path, "POST", { id })).json();
    const again = await (await owner.json(path, "POST", { id })).json();
    expect(again).toEqual(first);
    const theirs = await visitor.json(path, "POST", {});
    expect(theirs.status).toBe(404);
  });
});

async function namedClient(baseUrl: string, name: string) {
  const client = new ApiClient(baseUrl);
  const email = `owner-${randomUUID()}@example.test`;
  const password = "correct horse battery";
  expect((await client.json("/api/register", "POST", { email, password, name })).status).toBe(201);
  await client.signIn(email, password);
  return Object.assign(client, { email });
}

function tokenOf(path: string): string {
  return path.replace("/s/", "");
}

/**
 * A page's HTML without what differs per request anyway: script nonces, the address, and the
 * order in which Next streams the independent lines of its payload.
 */
function normalize(html: string, token: string): string[] {
  return html
    .replaceAll(token, "TOKEN")
    .replace(/nonce="[^"]*"/g, 'nonce=""')
    .replace(/\\"nonce\\":\\"[^\\]*\\"/g, '\\"nonce\\":\\"\\"')
    .split("\\n")
    .sort();
}
