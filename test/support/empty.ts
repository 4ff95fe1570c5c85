// Stands in for the `server-only` package outside Next.js (tests, scripts).
export {};
