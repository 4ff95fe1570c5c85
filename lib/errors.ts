// One error family for the whole app. The code decides the HTTP status; the message is for
// people; database details are logged by whoever catches the error, never sent to a client.
export const errorStatus = {
  validation: 400,
  // A model no endpoint offers (or that stopped being offered): a bad request, as for any field.
  unknown_model: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  // A model whose endpoint is not answering, so whether it exists cannot be told now.
  model_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AppError";
    this.code = code;
  }

  get status(): number {
    return errorStatus[this.code];
  }

  toJSON() {
    return { error: { code: this.code, message: this.message } };
  }
}

export class ValidationError extends AppError {
  constructor(message: string) {
    super("validation", message);
    this.name = "ValidationError";
  }
}

/** A change requested by another site's page: refused before anything is looked at. */
export class CrossSiteError extends AppError {
  constructor() {
    super("forbidden", "Cross-site requests are not accepted");
    this.name = "CrossSiteError";
  }
}

export class NotFoundError extends AppError {
  constructor(what = "Conversation") {
    super("not_found", `${what} not found`);
    this.name = "NotFoundError";
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super("conflict", message);
    this.name = "ConflictError";
  }
}

export class TooLargeError extends AppError {
  constructor(message: string) {
    super("too_large", message);
    this.name = "TooLargeError";
  }
}

/** 429 with how long to wait, which the API sends as Retry-After. */
export class RateLimitedError extends AppError {
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number) {
    super("rate_limited", message);
    this.retryAfterMs = retryAfterMs;
  }
}
