import { randomUUID } from "node:crypto";
import http from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ApiClient, readReply, signedInClient } from "@/test/support/api-client";
import { type AppServer, startAppServer } from "@/test/support/app-server";
import { submitPageForm } from "@/test/support/page-form";
import { startEarlyInWindow } from "@/test/support/rate-windows";
import { migratedPostgres } from "./servers";

// The per-user limits that the bad-input table cannot show: one import at a time across
// instances, and "Continue in my account", which is a server action. Two instances on one
// Postgres, as behind a load balancer.

const IMPORTS_PER_HOUR = 2;

/** A ChatGPT conversation with one message, as it appears in conversations.json. */
function chatgptConversation(title: string): string {
  return JSON.stringify({
    title,
    create_time: 1714640400,
    id: randomUUID(),
    current_node: "n",
    mapping: {
      n: {
        parent: null,
        message: { author: { role: "user" }, content: { content_type: "text", parts: [title] } },
      },
    },
  });
}

/** An import whose body is sent in two parts: `first` now, `rest` when `finish` is called. */
function heldImport(server: AppServer, client: ApiClient, first: string) {
  let finish: (rest: string) => void = () => {};
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = http.request(
      `${server.url}/api/import`,
      {
        method: "POST",
        agent: false,
        headers: { "content-type": "application/json", cookie: client.cookieHeader() ?? "" },
      },
      async (response) => {
        let body = "";
        for await (const chunk of response) body += chunk;
        resolve({ status: response.statusCode ?? 0, body });
      },
    );
    request.on("error", reject);
    request.write(first);
    finish = (rest) => request.end(rest);
  });
  return { answer, finish: (rest: string) => finish(rest) };
}

async function titles(client: ApiClient): Promise<string[]> {
  const list = await (await client.fetch("/api/conversations?limit=100")).json();
  return list.items.map((c: { title: string | null }) => c.title);
}

function importFile(client: ApiClient, body: string) {
  return client.fetch("/api/import", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
}

describe("per-user limits across instances", () => {
  let a: AppServer;
  let b: AppServer;
  beforeAll(async () => {
    const env = {
      DATABASE_URL: await migratedPostgres(),
      RATE_LIMIT_IMPORTS_PER_HOUR: String(IMPORTS_PER_HOUR),
      RATE_LIMIT_SHARE_COPIES_PER_HOUR: "1",
      IMPORT_MAX_CONCURRENT: "2",
    };
    [a, b] = await Promise.all([startAppServer({ env }), startAppServer({ env })]);
  });
  afterAll(async () => {
    await a?.kill();
    await b?.kill();
  });
  // Each test counts in the hourly windows: none may span two.
  beforeEach(() => startEarlyInWindow(3_600_000, 60_000));

  it("runs one import per user at a time, whichever instance gets the second", async () => {
    const onA = await signedInClient(a.url);
    const onB = onA.withBaseUrl(b.url);
    const held = heldImport(a, onA, `[${chatgptConversation("First of the held file")},`);
    // The import is under way once its first conversation is stored.
    while (!(await titles(onB)).includes("First of the held file")) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    for (const client of [onB, onA]) {
      const refused = await importFile(client, `[${chatgptConversation("Refused meanwhile")}]`);
      expect(refused.status).toBe(429);
      expect(refused.headers.get("retry-after")).toBe("5");
      expect(await refused.json()).toMatchObject({
        error: { code: "rate_limited", message: expect.stringMatching(/still running/) },
      });
    }
    // Someone else's import is not held up.
    const bob = await signedInClient(b.url);
    expect((await importFile(bob, "[]")).status).toBe(200);

    held.finish(`${chatgptConversation("Second of the held file")}]`);
    const finished = await held.answer;
    expect(finished.status).toBe(200);
    expect(JSON.parse(finished.body)).toMatchObject({ imported: 2 });

    // Free again, and the refusals did not use up the hourly budget: this is the second import.
    const next = await importFile(onB, `[${chatgptConversation("After the held file")}]`);
    expect(next.status).toBe(200);
    const overBudget = await importFile(onA, "[]");
    expect(overBudget.status).toBe(429);
    expect(await overBudget.json()).toMatchObject({
      error: { message: expect.stringMatching(/this hour/) },
    });
    expect((await titles(onA)).sort()).toEqual([
      "After the held file",
      "First of the held file",
      "Second of the held file",
    ]);
  });

  it("runs at most IMPORT_MAX_CONCURRENT imports in one process, whoever runs them", async () => {
    const [carol, dave, erin] = await Promise.all([
      signedInClient(a.url),
      signedInClient(a.url),
      signedInClient(a.url),
    ]);
    const held = [carol, dave].map((client) =>
      heldImport(a, client, `[${chatgptConversation("Held for the process limit")},`),
    );
    for (const client of [carol, dave]) {
      while (!(await titles(client)).includes("Held for the process limit")) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    const refused = await importFile(erin, `[${chatgptConversation("Refused while busy")}]`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("5");
    expect(await refused.json()).toMatchObject({
      error: { code: "rate_limited", message: expect.stringMatching(/busy with other imports/) },
    });
    // The other instance has its own memory, and room.
    const elsewhere = erin.withBaseUrl(b.url);
    expect(
      (await importFile(elsewhere, `[${chatgptConversation("On the other instance")}]`)).status,
    ).toBe(200);
    for (const { finish, answer } of held) {
      finish(`${chatgptConversation("Finished after the busy answer")}]`);
      expect((await answer).status).toBe(200);
    }
    expect((await titles(erin)).sort()).toEqual(["On the other instance"]);
  });

  it("counts Continue in my account against RATE_LIMIT_SHARE_COPIES_PER_HOUR", async () => {
    const owner = await signedInClient(a.url);
    const links: string[] = [];
    for (const text of ["First shared question", "Second shared question"]) {
      const id = randomUUID();
      await readReply(await owner.send(id, text));
      const shared = await owner.json(`/api/conversations/${id}/shares`, "POST", {});
      links.push((await shared.json()).path);
    }
    const visitor = await signedInClient(b.url);
    const continueOn = (server: AppServer, link: string) =>
      submitPageForm(server.url, link, {}, {}, visitor.cookieHeader());

    const first = await continueOn(b, links[0] ?? "");
    expect(first.status).toBe(303);
    const second = await continueOn(a, links[1] ?? "");
    expect(second.status).toBe(200);
    expect(await second.text()).toContain("continued too many shared conversations this hour");
    expect(await titles(visitor)).toEqual(["First shared question"]);
  });
});
