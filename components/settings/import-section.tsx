"use client";

import { type DragEvent, useId, useRef, useState } from "react";
import { type ImportOutcome, uploadImport } from "@/client/import-upload";
import { useConversations } from "@/components/sidebar/conversations-provider";
import { Button, buttonClasses } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { DownloadIcon, UploadIcon } from "@/components/ui/icons";

type State =
  | { step: "idle" }
  | { step: "uploading"; name: string; fraction: number }
  | { step: "finished"; name: string; outcome: ImportOutcome };

/** Settings → Export and import: the whole account as a download, and a file to bring in. */
export function ImportSection() {
  const conversations = useConversations();
  const [state, setState] = useState<State>({ step: "idle" });
  const [dragging, setDragging] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const headingId = useId();
  const busy = state.step === "uploading";

  const start = async (file: File) => {
    if (busy) return;
    setState({ step: "uploading", name: file.name, fraction: 0 });
    const outcome = await uploadImport(file, (fraction) =>
      setState({ step: "uploading", name: file.name, fraction }),
    );
    setState({ step: "finished", name: file.name, outcome });
    if (outcome.ok || outcome.summary?.imported) void conversations.refresh();
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) void start(file);
  };

  return (
    <section aria-labelledby={headingId} className="space-y-4">
      <h2 id={headingId} className="text-base font-semibold text-zinc-900 dark:text-zinc-100">
        Export and import
      </h2>
      <div className="flex flex-wrap items-center justify-between gap-3 rounded-xl border border-zinc-200 p-4 dark:border-zinc-800">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Every conversation and message, as one JSON file you can import again.
        </p>
        <a
          href="/api/export"
          download
          data-testid="export-everything"
          className={buttonClasses("outline", "sm")}
        >
          <DownloadIcon size={16} />
          Export everything
        </a>
      </div>
      <fieldset
        data-testid="import-drop-zone"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={cn(
          "flex flex-col items-center gap-3 rounded-xl border-2 border-dashed border-zinc-300 p-6 text-center dark:border-zinc-700",
          dragging && "border-blue-500 bg-blue-50 dark:bg-blue-500/10",
        )}
      >
        <legend className="sr-only">Import a file</legend>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Drop a Chatkeep export or ChatGPT’s <code>conversations.json</code> here, or
        </p>
        <input
          ref={inputRef}
          type="file"
          accept=".json,application/json"
          className="sr-only"
          tabIndex={-1}
          aria-hidden="true"
          data-testid="import-file"
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = "";
            if (file) void start(file);
          }}
        />
        <Button
          variant="primary"
          size="sm"
          disabled={busy}
          onClick={() => inputRef.current?.click()}
        >
          <UploadIcon size={16} />
          Choose a file to import
        </Button>
      </fieldset>
      {state.step === "uploading" ? <Progress name={state.name} fraction={state.fraction} /> : null}
      {state.step === "finished" ? <Outcome name={state.name} outcome={state.outcome} /> : null}
    </section>
  );
}

function Progress({ name, fraction }: { name: string; fraction: number }) {
  const percent = Math.round(fraction * 100);
  return (
    <div className="space-y-1.5">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Importing {name}… {percent}%
      </p>
      <div
        role="progressbar"
        aria-label={`Importing ${name}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        data-testid="import-progress"
        className="h-2 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
      >
        <div className="h-full bg-blue-600 transition-[width]" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}

function Outcome({ name, outcome }: { name: string; outcome: ImportOutcome }) {
  const summary = outcome.summary;
  return (
    <div
      role="status"
      data-testid="import-summary"
      className="space-y-2 rounded-xl border border-zinc-200 p-4 text-sm dark:border-zinc-800"
    >
      {outcome.ok ? (
        <p className="font-medium text-zinc-900 dark:text-zinc-100">Imported {name}</p>
      ) : (
        <p data-testid="import-error" className="font-medium text-red-700 dark:text-red-400">
          {outcome.message}
        </p>
      )}
      {summary ? (
        <>
          <ul className="flex flex-wrap gap-x-5 gap-y-1 text-zinc-700 dark:text-zinc-300">
            <li data-testid="import-imported">{summary.imported} imported</li>
            <li data-testid="import-skipped">{summary.skipped} skipped (already here)</li>
            <li data-testid="import-failed">{summary.failedCount} failed</li>
          </ul>
          {summary.failed.length ? (
            <ul className="list-disc space-y-1 pl-5 text-zinc-600 dark:text-zinc-400">
              {summary.failed.map((failure) => (
                <li key={failure.index}>
                  {failure.title ?? `Conversation ${failure.index + 1}`}: {failure.reason}
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
