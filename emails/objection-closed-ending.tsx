import { Text } from "@react-email/components";

import { EmailAction, EmailFooter, emailStyles } from "./layout";

type TClosingKey = "effect" | "again" | "button" | "footer";

/**
 * The end of an email that closes an objection (rejected, withdrawn): what that means, that the
 * person may object again and the button to, the reference, and the footer, in the email's own words.
 */
export const ObjectionClosedEnding = ({
  t,
  reference,
  color,
  objectUrl,
}: {
  t: ((key: TClosingKey) => string) & ((key: "reference", values: { reference: string }) => string);
  reference: string;
  color: string;
  objectUrl: string;
}) => (
  <>
    <Text style={emailStyles.text}>{t("effect")}</Text>
    <Text style={emailStyles.text}>{t("again")}</Text>
    <EmailAction color={color} href={objectUrl}>
      {t("button")}
    </EmailAction>
    <Text style={emailStyles.small}>{t("reference", { reference })}</Text>
    <EmailFooter>{t("footer")}</EmailFooter>
  </>
);
