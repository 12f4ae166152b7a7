import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";

import { env } from "@/lib/env";
import { fetchNoticesFromApi } from "@/lib/notifications/fetch-notices-from-api";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Demo app", robots: { index: false, follow: false } };

// An outline, not an emoji: Linux systems often lack an emoji font and draw an empty box.
const BellIcon = () => (
  <svg aria-hidden="true" focusable="false" width="24" height="24" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
    <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
    <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
  </svg>
);

/** A mock-up of the platform's own app, served only in demo mode, showing the in-app notice. */
const DemoAppPage = async ({ params }: PageProps<"/demo/app/[externalId]">) => {
  if (env().DEMO_MODE !== "1") notFound();
  // Unlike a route handler's, a page's params arrive percent-encoded (Next encodes each one it
  // hands a page): decoded once here, then encoded again by fetchNoticesFromApi for the API's path.
  const notices = await fetchNoticesFromApi(decodeURIComponent((await params).externalId));
  if (!notices) notFound();

  const t = await getTranslations("demoApp");
  const unseen = notices.filter((notice) => !notice.seenAt).length;
  return (
    <div className="demo-app">
      <p className="demo-banner">{t("banner")}</p>
      <header className="demo-app-bar">
        <span className="brand">Platform</span>
        <details className="demo-bell">
          <summary aria-label={`${t("bell")}: ${t("unseen", { count: unseen })}`}>
            <BellIcon />
            {unseen > 0 && (
              <span className="demo-badge" aria-hidden="true">
                {unseen}
              </span>
            )}
          </summary>
          <div className="demo-panel">
            {notices.length === 0 && <p>{t("empty")}</p>}
            <ul>
              {notices.map((notice) => (
                <li key={notice.id} className="demo-notice" lang={notice.locale}>
                  <p className="demo-notice-title">{notice.title}</p>
                  <p>{notice.body}</p>
                  <a href={notice.url} className="button button-primary button-compact">
                    {notice.action}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        </details>
      </header>
      <main id="main" className="page stack">
        <h1>{t("title")}</h1>
        {(["post1", "post2", "post3"] as const).map((post) => (
          <article key={post} className="demo-post">
            {t(post)}
          </article>
        ))}
      </main>
    </div>
  );
};

export default DemoAppPage;
