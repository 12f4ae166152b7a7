// The demo's embedded PostgreSQL has one engine session; connections take turns on it (embedded-postgres.ts).

/** A first-in, first-out lock on the one engine session. */
export const createEngineLock = () => {
  let holder: number | null = null;
  const waiting: { sessionId: number; grant: () => void }[] = [];
  return {
    acquire: (sessionId: number) =>
      holder === sessionId
        ? Promise.resolve()
        : holder === null
          ? ((holder = sessionId), Promise.resolve())
          : new Promise<void>((grant) => waiting.push({ sessionId, grant })),
    release: (sessionId: number) => {
      if (holder !== sessionId) return;
      const next = waiting.shift();
      holder = next?.sessionId ?? null;
      next?.grant();
    },
    holds: (sessionId: number) => holder === sessionId,
  };
};

export type TEngineLock = ReturnType<typeof createEngineLock>;
