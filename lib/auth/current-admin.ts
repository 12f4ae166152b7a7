import "server-only";

import { cache } from "react";

import { auth } from "@/lib/auth/auth";
import type { TAdminActor } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

export type TCurrentAdmin = TAdminActor & { email: string };

/** The signed-in admin, read from the database on every request (a removed admin or a changed role counts at once). */
export const currentAdmin = cache(async (): Promise<TCurrentAdmin | null> => {
  if (!env().AUTH_SECRET) return null;
  const session = await auth();
  const id = (session?.user as { id?: string } | undefined)?.id;
  if (!id) return null;
  const admin = await db().adminUser.findFirst({ where: { id, disabledAt: null }, select: { id: true, role: true, email: true } });
  return admin && { kind: "admin", ...admin };
});
