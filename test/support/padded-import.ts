import { readFileSync } from "node:fs";
import http from "node:http";

// A ChatGPT export built to cost memory: one conversation padded with `"junk":[{},{},…]`
// (an unknown key holding empty objects, 3 bytes each) up to the size asked for, then an
// ordinary conversation. Written to the request as it is made, a 64 KB block at a time: the
// client never holds the file.

export const PADDED_TITLE = "Padded";
export const AFTER_TITLE = "After the padding";

const mapping = (title: string) =>
  `"mapping":{"n":{"parent":null,"message":{"author":{"role":"user"},"content":{"content_type":"text","parts":["${title}: a question"]}}}}`;
const fields = (title: string, id: string) =>
  `"title":"${title}","id":"${id}","create_time":1714640400,"current_node":"n"`;

const HEAD = `[{${fields(PADDED_TITLE, "padded")},"junk":[{}`;
const TAIL = `],${mapping(PADDED_TITLE)}},{${fields(AFTER_TITLE, "after")},${mapping(AFTER_TITLE)}}]`;
const BLOCK = Buffer.from(",{}".repeat((64 * 1024) / 3));

/**
 * POSTs a padded file of about `totalBytes` to /api/import. `midway` runs once a tenth of it is
 * sent, while the rest goes on being sent; the file's last bytes are held back until it has
 * finished, so the import is still being read for as long as `midway` runs.
 */
export function postPaddedImport(
  baseUrl: string,
  cookie: string,
  totalBytes: number,
  midway: () => Promise<void> = async () => {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${baseUrl}/api/import`,
      { method: "POST", agent: false, headers: { "content-type": "application/json", cookie } },
      async (response) => {
        let body = "";
        for await (const chunk of response) body += chunk;
        resolve({ status: response.statusCode ?? 0, body });
      },
    );
    request.on("error", reject);
    let sent = 0;
    let during: Promise<void> | null = null;
    const pump = () => {
      while (sent < totalBytes && !request.destroyed) {
        if (!during && sent > totalBytes / 10) during = midway();
        sent += BLOCK.byteLength;
        if (!request.write(BLOCK)) {
          request.once("drain", pump);
          return;
        }
      }
      (during ?? midway()).then(() => request.end(TAIL), reject);
    };
    request.write(HEAD);
    pump();
  });
}

/** The resident memory of process `pid`, in bytes (Linux). */
export function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) * 1024;
}
