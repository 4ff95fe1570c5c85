import type { SnippetSegment } from "@/lib/search-snippet";

/** A search snippet: plain text with the matched words in <mark>. Never parsed as HTML. */
export function Snippet({ segments }: { segments: readonly SnippetSegment[] }) {
  let offset = 0;
  return (
    <>
      {segments.map((segment) => {
        // Where the segment starts in the snippet: unique, and stable for the same snippet.
        const key = offset;
        offset += segment.text.length;
        return segment.match ? (
          <mark
            key={key}
            className="rounded-sm bg-amber-200 px-0.5 text-inherit dark:bg-amber-500/40"
          >
            {segment.text}
          </mark>
        ) : (
          <span key={key}>{segment.text}</span>
        );
      })}
    </>
  );
}
