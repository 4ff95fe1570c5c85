import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** The parts of an OpenAI chat-completions request body that tests look at. */
export interface ChatCompletionRequest {
  model: string;
  messages: Array<{ role: string; content: unknown }>;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  [field: string]: unknown;
}

export interface FakeOpenAIOptions {
  /** Words of the reply; default echoes the last user message: "Fake reply to: …". */
  replyWords?: string[] | ((request: ChatCompletionRequest) => string[]);
  /** Pause before each streamed chunk. */
  chunkDelayMs?: number;
  /** Answer with this HTTP status and an OpenAI-style error body instead of streaming. */
  failWith?: number;
  /** With failWith: fail only this many requests from now on, then answer normally. */
  failTimes?: number;
  /** Stream this many words, then drop the connection without finishing. */
  failAfterWords?: number;
  /** The model ids `GET /v1/models` lists; default `["fake-model"]`. */
  models?: string[];
  /** Answer `GET /v1/models` with this HTTP status and an error body instead of the list. */
  modelsFailWith?: number;
}

export interface FakeOpenAI {
  /** Pass as the provider's baseURL (already ends in /v1). */
  baseURL: string;
  /** Parsed bodies of every chat-completions request, in arrival order. */
  requests: ChatCompletionRequest[];
  /** The model each chat-completions request asked for, in arrival order. */
  requestedModels(): string[];
  /** How many `GET /v1/models` requests arrived. */
  modelListRequests(): number;
  /** Changes behaviour for later requests; a key set to undefined restores its default. */
  configure(options: FakeOpenAIOptions): void;
  close(): Promise<void>;
}

/**
 * A local stand-in for an OpenAI-compatible server, speaking the streaming chat-completions
 * protocol (SSE) closely enough for the AI SDK's openai-compatible provider.
 */
export async function startFakeOpenAI(initial: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  let options: FakeOpenAIOptions = { ...initial };
  const requests: ChatCompletionRequest[] = [];
  let modelListRequests = 0;

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, errorBody(String(error)));
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse) {
    if (request.method === "GET" && request.url === "/v1/models") {
      modelListRequests++;
      if (options.modelsFailWith !== undefined) {
        sendJson(response, options.modelsFailWith, errorBody("The fake server was told to fail."));
      } else sendJson(response, 200, modelList(options.models ?? ["fake-model"]));
      return;
    }
    if (request.method !== "POST" || request.url !== "/v1/chat/completions") {
      sendJson(response, 404, errorBody(`No route for ${request.method} ${request.url}`));
      return;
    }
    const body = JSON.parse(await readBody(request)) as ChatCompletionRequest;
    requests.push(body);
    const current = options;

    if (current.failWith !== undefined && (current.failTimes ?? 1) > 0) {
      if (current.failTimes !== undefined)
        options = { ...options, failTimes: current.failTimes - 1 };
      sendJson(response, current.failWith, errorBody("The fake server was told to fail."));
      return;
    }
    const words = replyWordsFor(current, body);
    if (body.stream) await streamReply(response, body, words, current);
    else sendJson(response, 200, completion(body, words));
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    requestedModels: () => requests.map((body) => body.model),
    modelListRequests: () => modelListRequests,
    configure(changes) {
      options = { ...options, ...changes };
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

async function streamReply(
  response: ServerResponse,
  body: ChatCompletionRequest,
  words: string[],
  options: FakeOpenAIOptions,
) {
  response.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  const id = `chatcmpl-fake-${Date.now()}`;
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: 0, model: body.model, choices, ...extra })}\n\n`;

  for (const [index, word] of words.entries()) {
    if (index === options.failAfterWords) {
      response.destroy();
      return;
    }
    if (options.chunkDelayMs) await sleep(options.chunkDelayMs);
    if (response.destroyed) return; // the client went away (aborted)
    const content = index < words.length - 1 ? `${word} ` : word;
    const delta = index === 0 ? { role: "assistant", content } : { content };
    await send(response, chunk([{ index: 0, delta, finish_reason: null }]));
  }
  if (options.failAfterWords !== undefined && options.failAfterWords >= words.length) {
    response.destroy();
    return;
  }
  await send(response, chunk([{ index: 0, delta: {}, finish_reason: "stop" }]));
  // Like OpenAI: usage arrives in its own chunk with no choices, only when asked for.
  if (body.stream_options?.include_usage) {
    await send(response, chunk([], { usage: usageFor(body, words) }));
  }
  response.end("data: [DONE]\n\n");
}

function replyWordsFor(options: FakeOpenAIOptions, body: ChatCompletionRequest): string[] {
  if (typeof options.replyWords === "function") return options.replyWords(body);
  if (options.replyWords) return options.replyWords;
  const lastUser = body.messages.filter((message) => message.role === "user").at(-1);
  return `Fake reply to: ${contentText(lastUser?.content)}`.split(/\s+/).filter(Boolean);
}

// OpenAI accepts content as a string or as an array of typed parts.
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part: { type?: unknown; text?: unknown }) =>
      part.type === "text" && typeof part.text === "string" ? part.text : "",
    )
    .join("");
}

function completion(body: ChatCompletionRequest, words: string[]) {
  return {
    id: `chatcmpl-fake-${Date.now()}`,
    object: "chat.completion",
    created: 0,
    model: body.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: words.join(" ") },
        finish_reason: "stop",
      },
    ],
    usage: usageFor(body, words),
  };
}

// OpenAI's list format, as `GET /v1/models` answers it.
function modelList(ids: string[]) {
  return {
    object: "list",
    data: ids.map((id) => ({ id, object: "model", created: 0, owned_by: "fake" })),
  };
}

function usageFor(body: ChatCompletionRequest, words: string[]) {
  const promptTokens = Math.ceil(JSON.stringify(body.messages).length / 4);
  return {
    prompt_tokens: promptTokens,
    completion_tokens: words.length,
    total_tokens: promptTokens + words.length,
  };
}

function errorBody(message: string) {
  return { error: { message, type: "server_error", code: null } };
}

function sendJson(response: ServerResponse, status: number, payload: unknown) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(payload));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

// Waits until the chunk is handed to the socket, so a later destroy() cannot discard it.
function send(response: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve, reject) =>
    response.write(data, (error) => (error ? reject(error) : resolve())),
  );
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
