import { ApiError, TimeoutError } from "../api";

/** Answers that mean "the service is down for now", not "this request is wrong". */
export const isOutage = (status: number) => status === 502 || status === 503 || status === 504;

/** What to tell the person when a request failed. */
export function describeFailure(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TimeoutError) return error.message;
  if (typeof navigator !== "undefined" && navigator.onLine === false) return "You are offline";
  return "Could not reach the server";
}
