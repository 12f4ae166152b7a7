import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { cache } from "react";

import { UnsubscribePage } from "@/components/unsubscribe-page";
import { personalLinkUrl } from "@/lib/links/personal-link-url";
import { openUnsubscribeLink } from "@/lib/unsubscribe/open-unsubscribe-link";

// The title and the page ask once between them.
const openLink = cache(openUnsubscribeLink);

export const generateMetadata = async ({ params }: PageProps<"/u/[token]">): Promise<Metadata> => {
  const link = await openLink((await params).token);
  const t = await getTranslations("unsubscribe");
  return { title: !link ? t("invalidTitle") : link.stopped ? t("stoppedTitle") : t("title"), robots: { index: false, follow: false } };
};

// GET /u/<token> only reads; the confirm button posts to /u/<token> (proxy.ts → ./one-click).
const Page = async ({ params }: PageProps<"/u/[token]">) => {
  const { token } = await params;
  const link = await openLink(token);
  // Tampered, expired, of another purpose, or for a notification that is gone: ./not-found.tsx.
  if (!link) notFound();
  // The member's own objection link, minted for this page: a "stop these emails" token cannot object.
  const objectionUrl = personalLinkUrl({ subject: { kind: "notification", id: link.notificationId } });
  return <UnsubscribePage token={token} stopped={link.stopped} objectionUrl={objectionUrl} />;
};

export default Page;
