// Edge-safe: used by proxy.ts, which runs before every request and must not reach the database.

/**
 * The Content-Security-Policy for one response. Scripts run only with this request's nonce (Next
 * puts it on its own scripts, reading it from the request's copy of this header) or when loaded
 * by such a script ('strict-dynamic'). Styles allow inline: React and Next write `style`
 * attributes, which nonces cannot cover, and a style cannot run code. `form-action` admits
 * GitHub when it is a sign-in provider: a sign-in form posted without JavaScript is answered
 * with a redirect there, and browsers hold form redirects to this directive.
 */
export function contentSecurityPolicy(options: {
  nonce: string;
  githubSignIn: boolean;
  development: boolean;
}): string {
  const scripts = [`'self'`, `'nonce-${options.nonce}'`, `'strict-dynamic'`];
  // React's development build evaluates strings to rebuild stacks; never in production.
  if (options.development) scripts.push(`'unsafe-eval'`);
  const directives = [
    `default-src 'self'`,
    `script-src ${scripts.join(" ")}`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data:`,
    `font-src 'self'`,
    `connect-src 'self'`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self'${options.githubSignIn ? " https://github.com" : ""}`,
    `frame-ancestors 'none'`,
  ];
  return directives.join("; ");
}

/**
 * The policy of every API answer (JSON, Server-Sent Events, files): nothing in one is ever run
 * or loaded as a page, so it needs no nonce and allows nothing. The directives a page's policy
 * sets that `default-src` does not cover are repeated, so no answer is framed or posts anywhere.
 */
export const API_CONTENT_SECURITY_POLICY = [
  `default-src 'none'`,
  `object-src 'none'`,
  `base-uri 'self'`,
  `form-action 'self'`,
  `frame-ancestors 'none'`,
].join("; ");

/** Headers every response carries besides the policy. */
export const STATIC_SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
} as const;

/** 128 random bits, base64: what a nonce needs to be unguessable. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}
