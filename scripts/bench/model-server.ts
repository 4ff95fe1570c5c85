// An OpenAI-compatible model server for the load bench, run as its own process
// (`node --import tsx scripts/bench/model-server.ts`): streaming chat completions with usage in
// the last chunk, answering MODEL_SERVER_WORDS words with MODEL_SERVER_WORD_DELAY_MS before each,
// the timing the offline model has with OFFLINE_MODEL_REPLY_WORDS and
// OFFLINE_MODEL_TOKEN_DELAY_MS. Listens on 127.0.0.1, prints its base URL (ending in /v1), and
// stops on SIGTERM.
import { startFakeOpenAI } from "@/test/support/fake-openai";

const words = Number(process.env.MODEL_SERVER_WORDS ?? 60);
const delay = Number(process.env.MODEL_SERVER_WORD_DELAY_MS ?? 20);

// Words of ordinary length, like the offline model's: the bytes on the wire are comparable.
const VOCABULARY =
  "the model answers with a few plain words of ordinary length and then stops".split(" ");
const reply = Array.from({ length: words }, (_, i) => VOCABULARY[i % VOCABULARY.length] ?? "word");

// It lists the one model the bench's endpoints allow (scripts/bench/app-servers.ts).
const server = await startFakeOpenAI({ replyWords: reply, chunkDelayMs: delay, models: ["bench"] });
console.log(server.baseURL);

process.once("SIGTERM", () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
