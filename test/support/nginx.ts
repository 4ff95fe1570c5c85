import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./postgres";

export interface Nginx {
  url: string;
  stop(): Promise<void>;
}

const nginxPath = () => process.env.NGINX_PATH ?? "/usr/sbin/nginx";

/** The ```nginx blocks of a Markdown file, in order. */
export function nginxBlocks(markdownFile: string): string[] {
  const text = readFileSync(markdownFile, "utf8");
  return [...text.matchAll(/```nginx\n([\s\S]*?)```/g)].map((match) => match[1] ?? "");
}

/**
 * Runs nginx in the foreground with `httpBlock` as the whole of its `http { }` context, in a
 * private folder (its temporary files, pid and error log), until `stop()`.
 */
export async function startNginx(httpBlock: (port: number) => string): Promise<Nginx> {
  const root = mkdtempSync(path.join(tmpdir(), "chatkeep-nginx-"));
  // As root, nginx's workers would run as `nobody`, who cannot enter a private temp folder.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chmodSync(root, 0o755);
  const port = await freePort();
  const at = (name: string) => path.join(root, name);
  const config = `
${asRoot ? "user root;" : ""}
daemon off;
worker_processes 1;
pid ${at("nginx.pid")};
error_log ${at("error.log")} warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${at("body")};
  proxy_temp_path ${at("proxy")};
  fastcgi_temp_path ${at("fastcgi")};
  uwsgi_temp_path ${at("uwsgi")};
  scgi_temp_path ${at("scgi")};
${httpBlock(port)}
}
`;
  writeFileSync(at("nginx.conf"), config);
  const args = ["-p", root, "-c", at("nginx.conf")];
  const check = spawnSync(nginxPath(), ["-t", ...args], { encoding: "utf8" });
  if (check.status !== 0) throw new Error(`nginx refused the configuration:\n${check.stderr}`);
  const child: ChildProcess = spawn(nginxPath(), args, { stdio: ["ignore", "ignore", "pipe"] });
  let errors = "";
  child.stderr?.on("data", (chunk) => {
    errors += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited:\n${errors}`);
    try {
      await fetch(url);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not start listening:\n${errors}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    url,
    async stop() {
      // SIGTERM: nginx's fast shutdown.
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
      rmSync(root, { recursive: true, force: true });
    },
  };
}
