import { Text } from "@react-email/components";

import { EmailAction, EmailFooter, EmailHeading, EmailLayout, emailStyles } from "./layout";

export type TAdminSignInProps = { signInUrl: string; minutesValid: number };

export const ADMIN_SIGN_IN_SUBJECT = "Your sign-in link to the Objection admin console";

/** Admins work in English; the console is not translated. */
export const AdminSignIn = ({ signInUrl, minutesValid }: TAdminSignInProps) => (
  <EmailLayout locale="en" preview="Sign in to the admin console">
    <EmailHeading>Sign in to the admin console</EmailHeading>
    <Text style={emailStyles.text}>Press the button to sign in. The link works once, for {minutesValid} minutes.</Text>
    <EmailAction href={signInUrl}>Sign in</EmailAction>
    <EmailFooter>If you did not ask to sign in, ignore this email: nobody can sign in without this link.</EmailFooter>
  </EmailLayout>
);

AdminSignIn.PreviewProps = { signInUrl: "http://localhost:3000/api/auth/callback/nodemailer?token=preview", minutesValid: 15 } satisfies TAdminSignInProps;

export default AdminSignIn;
