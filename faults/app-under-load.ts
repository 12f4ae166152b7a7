import { existsSync } from "node:fs";

import { freePort } from "@/scripts/lib/free-port";
import { buildApp, startApp, type TStackEnv } from "@/scripts/lib/stack";
import { createLoadMembers, startFormLoad } from "@/faults/form-load";

/**
 * The production build on a free port, its form posted by `members` distinct members of its own
 * (createLoadMembers: members in DE), `perSecond` a second from the moment it is up: for a fault
 * test that loads the app while something else fails. `env` is the app's, APP_URL aside. Stop
 * `load`, then `app`, when done.
 */
export const startAppUnderLoad = async ({ env, databaseUrl, members: count, perSecond, prefix, logs = false }: { env: TStackEnv; databaseUrl: string; members: number; perSecond: number; prefix: string; logs?: boolean }) => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const appEnv = { ...env, APP_URL: base };
  if (!existsSync(".next/BUILD_ID")) await buildApp(appEnv);
  const app = await startApp({ env: appEnv, port, logs });
  const members = await createLoadMembers({ url: databaseUrl, count, prefix });
  return { app, members, load: startFormLoad({ base, members, perSecond }) };
};
