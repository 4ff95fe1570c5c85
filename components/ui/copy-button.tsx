"use client";

import { useEffect, useState } from "react";
import { Button } from "./button";
import { CheckIcon, CopyIcon } from "./icons";

async function writeClipboard(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard API (plain http on a LAN address): fall back to a hidden textarea.
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    const copied = document.execCommand("copy");
    area.remove();
    return copied;
  }
}

export function CopyButton({
  text,
  label = "Copy",
  showLabel = false,
  testId,
}: {
  text: string;
  label?: string;
  showLabel?: boolean;
  testId?: string;
}) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1_500);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <Button
      variant="ghost"
      size={showLabel ? "sm" : "icon-sm"}
      aria-label={copied ? "Copied" : label}
      title={label}
      data-testid={testId}
      className={showLabel ? "h-7 px-2 text-xs" : undefined}
      onClick={async () => setCopied(await writeClipboard(text))}
    >
      {copied ? <CheckIcon size={14} /> : <CopyIcon size={14} />}
      {showLabel ? <span>{copied ? "Copied" : "Copy"}</span> : null}
    </Button>
  );
}
