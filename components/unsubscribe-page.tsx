import { getTranslations } from "next-intl/server";

import { SiteShell } from "@/components/site-shell";
import { brand } from "@/lib/branding/brand";

/**
 * "Stop these emails". Before: a confirm button, a plain form post (no JavaScript needed) to
 * /u/<token>; opening the page changes nothing, as mail scanners open every link. After: emails are
 * stopped. Both say that this is not an objection, and offer the objection form in one click.
 */
export const UnsubscribePage = async ({ token, stopped, objectionUrl }: { token: string; stopped: boolean; objectionUrl: string }) => {
  const t = await getTranslations("unsubscribe");
  const name = brand().name;
  return (
    <SiteShell returnTo={`/u/${token}`}>
      <section className="stack" aria-labelledby="unsubscribe-title">
        <h1 id="unsubscribe-title">{stopped ? t("stoppedTitle") : t("title")}</h1>
        {stopped ? (
          <p className="lead" role="status">
            {t("stopped", { brand: name })}
          </p>
        ) : (
          <>
            <p className="lead">{t("confirm", { brand: name })}</p>
            <form action={`/u/${token}`} method="post" className="actions">
              <input type="hidden" name="List-Unsubscribe" value="One-Click" />
              <input type="hidden" name="from" value="page" />
              <button type="submit" className="button button-primary">
                {t("button")}
              </button>
            </form>
          </>
        )}
        <p>
          <strong>{t("notObjection", { brand: name })}</strong>
        </p>
        <p>{t("objectIntro")}</p>
        <p className="actions">
          <a href={objectionUrl} className={stopped ? "button button-primary" : "button button-secondary"}>
            {t("objectButton")}
          </a>
        </p>
      </section>
    </SiteShell>
  );
};

/** A "stop these emails" link that cannot be used: nothing was stopped; the way to a fresh link. */
export const InvalidUnsubscribeLink = async () => {
  const t = await getTranslations("unsubscribe");
  return (
    <SiteShell returnTo="/object">
      <section className="stack" aria-labelledby="invalid-title">
        <h1 id="invalid-title">{t("invalidTitle")}</h1>
        <p>{t("invalidBody")}</p>
        <p className="actions">
          <a href="/object" className="button button-secondary">
            {t("requestLink")}
          </a>
        </p>
      </section>
    </SiteShell>
  );
};
