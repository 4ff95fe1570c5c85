"use client";

import { createContext, useContext } from "react";
import type { ModelCatalog } from "@/client/models";

/**
 * The models the open conversation can use, for the controls deep in its message list
 * ("Regenerate with…"); null where the page gave none.
 */
export const ModelCatalogContext = createContext<ModelCatalog | null>(null);

export function useModelCatalog(): ModelCatalog | null {
  return useContext(ModelCatalogContext);
}
