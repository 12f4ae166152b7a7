/**
 * The one error type of `lib/`: what a command throws when it cannot do what it was asked, with a
 * code that says why. One table maps each code to its HTTP status, so every boundary (console
 * routes and actions, the bearer-token API, pages) answers the same failure the same way. The
 * pattern is documenso's `AppError`.
 */
export const APP_ERROR_STATUS = {
  /** No session: sign in first. */
  unauthenticated: 401,
  /** No bearer token, or the wrong one. */
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  /** Retention deleted what was asked for: it existed, and will not come back. */
  gone: 410,
  invalid_json: 400,
  /** A path with broken percent-encoding, which Next.js cannot decode. */
  bad_path: 400,
  unreadable_body: 400,
  /** An API body over its cap. */
  body_too_large: 413,
  /** A console upload or form over its cap (the console's own code, older than the API's). */
  too_large: 413,
  /** A request the caller must change: a field, a state it cannot be in. */
  invalid: 422,
  invalid_body: 422,
  /** An `externalId` in a path that member sync would refuse: not a 404, since no member could ever have it. */
  invalid_external_id: 422,
  /** A file as a whole cannot be read (no or wrong header, a line too long, not CSV or JSON): nothing in it was used. */
  invalid_file: 422,
  /** A text value PostgreSQL refuses (NUL and other control characters). */
  invalid_characters: 422,
  rate_limited: 429,
  /** A setting the server lacks or holds wrongly (the environment, the export's keys): an outage of this feature until an operator sets it. */
  not_configured: 503,
  /** The database or another part was unreachable: the caller may retry. */
  unavailable: 503,
} as const satisfies Record<string, number>;

export type TAppErrorCode = keyof typeof APP_ERROR_STATUS;

export type TAppErrorIssue = { index?: number; field: string; reason: string };

type TAppErrorOptions = {
  /** What went wrong, for the caller of the API and the log. */
  message: string;
  /** What a person in the console or on a form is shown, when it should differ from `message`. */
  userMessage?: string;
  issues?: TAppErrorIssue[];
  headers?: Record<string, string>;
};

export class AppError extends Error {
  readonly code: TAppErrorCode;
  readonly userMessage: string;
  readonly issues?: TAppErrorIssue[];
  readonly headers?: Record<string, string>;

  constructor(code: TAppErrorCode, { message, userMessage, issues, headers }: TAppErrorOptions) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.userMessage = userMessage ?? message;
    this.issues = issues;
    this.headers = headers;
  }

  get status(): number {
    return APP_ERROR_STATUS[this.code];
  }
}

export const isAppError = (error: unknown, code?: TAppErrorCode): error is AppError => error instanceof AppError && (code === undefined || error.code === code);
