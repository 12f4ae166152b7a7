import "server-only";

import { db } from "@/lib/db";
import { jobs, QUEUES } from "@/lib/jobs";
import { normaliseEmail } from "@/lib/members/normalise-email";

/**
 * Queues a personal link for the member with this address. Says nothing about whether one exists:
 * the caller answers the same either way, so the form cannot be used to test addresses.
 */
export const requestPersonalLink = async (email: string) => {
  const member = await db().member.findFirst({ where: { email: normaliseEmail(email) }, select: { id: true } });
  if (!member) return;
  // The job carries the member id, never the address, so queue tables hold no email addresses.
  await (await jobs()).send(QUEUES.personalLinkEmail.name, { memberId: member.id }, { singletonKey: member.id, singletonSeconds: 60 });
};
