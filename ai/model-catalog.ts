import "server-only";
import type { CatalogModel } from "@/lib/model-ref";
import {
  type EndpointModelsOptions,
  endpointModelsLister,
  type ListedModel,
} from "./endpoint-models";
import {
  configuredContextTokens,
  type EndpointsEnv,
  endpointsEnv,
  type ModelEndpoint,
  type ModelRef,
  OFFLINE_ENDPOINT_ID,
  OFFLINE_MODEL_ID,
} from "./endpoints-env";
import { DEFAULT_CONTEXT_TOKENS } from "./model-env";
import { OFFLINE_MODEL_LABEL } from "./provider";

export type { CatalogModel };

export interface ModelCatalog {
  models: CatalogModel[];
  default: ModelRef;
  /** Endpoints whose `GET /models` failed (cached for a few seconds), by id. */
  unavailableEndpoints: string[];
}

const DEFAULT_OPTIONS: EndpointModelsOptions = {
  fetch: (input, init) => fetch(input, init),
  now: () => Date.now(),
  log: (line) => console.warn(line),
  timeoutMs: 2_000,
  answerTtlMs: 60_000,
  failureTtlMs: 10_000,
};

/**
 * Every model a person could pick: each endpoint's, asked of the endpoint (all at once, each
 * cached and bounded by the timeout) and narrowed to its allow-list, then the offline model.
 * An endpoint that is down or answers garbage never fails the list: its allow-listed models
 * show as unavailable.
 */
export function createModelCatalog(
  env: EndpointsEnv,
  options: Partial<EndpointModelsOptions> = {},
): { listModels(): Promise<ModelCatalog> } {
  const settings = { ...DEFAULT_OPTIONS, ...options };
  const listers = env.endpoints.map((endpoint) => ({
    endpoint,
    list: endpointModelsLister(endpoint, settings),
  }));

  return {
    async listModels() {
      const answers = await Promise.all(listers.map(({ list }) => list()));
      const models: CatalogModel[] = [];
      const unavailableEndpoints: string[] = [];
      for (const [index, { endpoint }] of listers.entries()) {
        const answer = answers[index];
        if (answer?.ok) {
          models.push(...listed(endpoint, answer.models));
        } else {
          unavailableEndpoints.push(endpoint.id);
          for (const modelId of endpoint.models ?? []) {
            models.push(entry(endpoint, modelId, undefined, false));
          }
        }
      }
      if (env.offlineModel.listed) {
        models.push({
          endpointId: OFFLINE_ENDPOINT_ID,
          endpointName: "Built-in",
          modelId: OFFLINE_MODEL_ID,
          label: OFFLINE_MODEL_LABEL,
          available: true,
          contextTokens: env.offlineModel.contextTokens,
        });
      }
      return { models, default: env.defaultModel, unavailableEndpoints };
    },
  };
}

/** The endpoint's answer, narrowed to its allow-list (in the allow-list's order) when it has one. */
function listed(endpoint: ModelEndpoint, answer: ListedModel[]): CatalogModel[] {
  const byId = new Map(answer.map((model) => [model.id, model]));
  const ids = endpoint.models?.filter((id) => byId.has(id)) ?? [...byId.keys()];
  return ids.map((id) => entry(endpoint, id, byId.get(id)?.contextTokens, true));
}

function entry(
  endpoint: ModelEndpoint,
  modelId: string,
  answeredContextTokens: number | undefined,
  available: boolean,
): CatalogModel {
  const configured = configuredContextTokens(endpoint, modelId);
  return {
    endpointId: endpoint.id,
    endpointName: endpoint.name,
    modelId,
    label: modelId,
    available,
    contextTokens: configured ?? answeredContextTokens ?? DEFAULT_CONTEXT_TOKENS.remote,
  };
}

const catalogs = new WeakMap<EndpointsEnv, { listModels(): Promise<ModelCatalog> }>();

/** The process's catalog: one per settings object, so its cache lives as long as the process. */
export function listModels(env: EndpointsEnv = endpointsEnv()): Promise<ModelCatalog> {
  let catalog = catalogs.get(env);
  if (catalog === undefined) {
    catalog = createModelCatalog(env);
    catalogs.set(env, catalog);
  }
  return catalog.listModels();
}

/** Where a model stands in a catalog: offered, unknown, or behind an endpoint not answering. */
export type ModelLookup =
  | { kind: "listed"; model: CatalogModel }
  | { kind: "endpoint-down" }
  | { kind: "unknown" };

/**
 * Looks a model up. A model of an endpoint that did not answer is only known when its
 * allow-list names it (listed, unavailable); otherwise whether it exists cannot be told now.
 */
export function findModel(catalog: ModelCatalog, ref: ModelRef): ModelLookup {
  const model = catalog.models.find(
    (candidate) => candidate.endpointId === ref.endpointId && candidate.modelId === ref.modelId,
  );
  if (model) return { kind: "listed", model };
  if (catalog.unavailableEndpoints.includes(ref.endpointId)) return { kind: "endpoint-down" };
  return { kind: "unknown" };
}
