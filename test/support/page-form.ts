/**
 * Submits a page's form the way a browser without JavaScript does: the form's hidden fields
 * (for a server action, the action's id and bound state) plus `fields`, as multipart, to the
 * page's own URL. Answers the response (a redirect on success; the page again, with the form's
 * state, otherwise). `headers` go with the submission; `cookie` with both requests.
 */
export async function submitPageForm(
  baseUrl: string,
  pathname: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
  cookie?: string,
): Promise<Response> {
  const withCookie: Record<string, string> = cookie ? { cookie } : {};
  const html = await (await fetch(`${baseUrl}${pathname}`, { headers: withCookie })).text();
  const form = /<form\b[^>]*method="POST"[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1];
  if (!form) throw new Error(`no form on ${pathname}`);
  const body = new FormData();
  for (const [, name, value] of form.matchAll(
    /<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?\/?>/g,
  )) {
    body.append(decodeEntities(name ?? ""), decodeEntities(value ?? ""));
  }
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  return fetch(`${baseUrl}${pathname}`, {
    method: "POST",
    headers: { origin: baseUrl, ...headers, ...withCookie },
    body,
    redirect: "manual",
  });
}

function decodeEntities(text: string): string {
  return text
    .replaceAll("&quot;", '"')
    .replaceAll("&#x27;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}
