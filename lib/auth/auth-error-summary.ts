/**
 * An Auth.js error without its payload, for the log: its kind, and the name and code of what caused
 * it (`OperationProcessingError`, `OAUTH_INVALID_RESPONSE`). A failed single sign-on's cause holds
 * the provider's answer (an ID token's name, subject and groups), which no log line may carry.
 */
export const authErrorSummary = (error: Error) => {
  const cause = (error.cause as { err?: { code?: unknown; name?: unknown } } | undefined)?.err;
  return { type: "type" in error ? String(error.type) : error.name, cause: cause ? { name: String(cause.name ?? ""), code: String(cause.code ?? "") } : undefined };
};
