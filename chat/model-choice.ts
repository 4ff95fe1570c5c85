import "server-only";
import { endpointsEnv } from "@/ai/endpoints-env";
import { findModel, listModels, type ModelCatalog } from "@/ai/model-catalog";
import { aiEnv } from "@/ai/model-env";
import { chosenModel, type ResolvedModel, resolveModel } from "@/ai/provider";
import {
  conversationModel,
  type Database,
  getConversation,
  lastUsedModel,
  setConversationModel,
} from "@/db";
import { AppError } from "@/lib/errors";
import { type ModelRef, modelName, sameModel } from "@/lib/model-ref";

// Which model answers a turn (decision 43): the one the request names, else the conversation's,
// else the deployment's default. A named model must be in the catalog; the default never waits
// on it (an endpoint need not implement GET /models to serve its configured model).

/** Who asks for the model: a request naming it, or the conversation it is stored on. */
type Source = "requested" | "conversation";

/**
 * The model for `ref`, or an AppError that stores nothing: `unknown_model` (400) when no
 * endpoint offers it, `model_unavailable` (503) when its endpoint is not answering and has no
 * allow-list to tell by. Null: the default.
 */
export async function modelFor(
  ref: ModelRef | null,
  source: Source = "requested",
): Promise<ResolvedModel> {
  const endpoints = endpointsEnv();
  if (ref === null || sameModel(ref, endpoints.defaultModel)) return resolveModel();
  const lookup = findModel(await listModels(endpoints), ref);
  if (lookup.kind === "listed") return chosenModel(endpoints, aiEnv(), lookup.model);
  if (lookup.kind === "endpoint-down") {
    throw new AppError(
      "model_unavailable",
      `The model ${modelName(ref)} cannot be used now: its endpoint is not answering. Try again shortly, or choose another model.`,
    );
  }
  throw new AppError(
    "unknown_model",
    source === "requested"
      ? `The model ${modelName(ref)} is not offered here. Choose one of GET /api/models.`
      : `This conversation's model, ${modelName(ref)}, is no longer offered. Choose another model.`,
  );
}

/** The model stored on the user's conversation; null when it follows the default or is new. */
async function storedModel(
  db: Database,
  input: { userId: string; conversationId: string },
): Promise<ModelRef | null> {
  const conversation = await getConversation(db, input);
  return conversation ? conversationModel(conversation) : null;
}

/**
 * The model a turn is answered by: `requested` when given (checked), else the conversation's
 * (checked: one that disappeared is refused rather than silently replaced), else the default.
 */
export async function turnModel(
  db: Database,
  input: { userId: string; conversationId: string; requested?: ModelRef },
): Promise<ResolvedModel> {
  if (input.requested) return modelFor(input.requested);
  return modelFor(await storedModel(db, input), "conversation");
}

/**
 * The model for a reply already reopened (a continue): the one that wrote it while it is still
 * offered, else the conversation's, else the default. It never throws: the reply is streaming
 * by now and must be answered. The conversation is read only when the reply's model is no use.
 */
export async function continuingModel(
  db: Database,
  input: { userId: string; conversationId: string; written: ModelRef | null },
): Promise<ResolvedModel> {
  return (
    (await offeredModel(input.written)) ??
    (await offeredModel(await storedModel(db, input))) ??
    resolveModel()
  );
}

/** The model while it is offered; null when it is not, or its endpoint is down. */
async function offeredModel(ref: ModelRef | null): Promise<ResolvedModel | null> {
  if (ref === null) return null;
  return modelFor(ref).catch(() => null);
}

/** What a page shows of the models: the catalog, and the one a new chat starts on. */
export async function modelOptions(
  db: Database,
  userId: string,
): Promise<{ catalog: ModelCatalog; newChatModel: ModelRef }> {
  const [catalog, last] = await Promise.all([listModels(), lastUsedModel(db, userId)]);
  const offered = last !== null && findModel(catalog, last).kind === "listed";
  return { catalog, newChatModel: offered && last ? last : catalog.default };
}

/**
 * The model a conversation is on as its page shows it: its own, or the default when it has
 * none. `gone`: its own is no longer offered, which the page says, offering the default.
 */
export function conversationModelState(
  catalog: ModelCatalog,
  stored: ModelRef | null,
): { model: ModelRef; gone: boolean } {
  if (stored === null) return { model: catalog.default, gone: false };
  const gone = !sameModel(stored, catalog.default) && findModel(catalog, stored).kind === "unknown";
  return { model: stored, gone };
}

/** Sets the conversation's model once the catalog offers it; null when not the user's. */
export async function changeConversationModel(
  db: Database,
  input: { userId: string; conversationId: string; model: ModelRef },
) {
  await modelFor(input.model);
  return setConversationModel(db, input);
}
