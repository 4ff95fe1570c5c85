// Browser only: sends an import file and reports how much of it has gone.

export interface ImportSummaryJson {
  format: "chatkeep" | "chatgpt" | null;
  imported: number;
  skipped: number;
  failedCount: number;
  failed: Array<{ index: number; title: string | null; reason: string }>;
}

export type ImportOutcome =
  | { ok: true; summary: ImportSummaryJson }
  /** `summary`: what was stored before a whole-file problem stopped the import. */
  | { ok: false; message: string; summary: ImportSummaryJson | null };

/**
 * POSTs the file as the request body with XMLHttpRequest, whose upload events (which fetch
 * lacks) drive the progress bar. The server reads and stores as the bytes arrive, so the bytes
 * sent are also the work done, give or take the last conversation.
 */
export function uploadImport(
  file: File,
  onProgress: (fraction: number) => void,
): Promise<ImportOutcome> {
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open("POST", "/api/import");
    request.setRequestHeader("content-type", "application/json");
    request.responseType = "json";
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      const body = request.response as
        | (ImportSummaryJson & { error?: { message?: string }; summary?: ImportSummaryJson })
        | null;
      if (request.status === 200 && body) resolve({ ok: true, summary: body });
      else {
        resolve({
          ok: false,
          message: body?.error?.message ?? `The import failed (HTTP ${request.status})`,
          summary: body?.summary ?? null,
        });
      }
    };
    request.onerror = () =>
      resolve({ ok: false, message: "The upload was cut off; try again", summary: null });
    request.send(file);
  });
}
