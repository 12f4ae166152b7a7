import { Text } from "@react-email/components";

import { EmailAction, EmailFooter, EmailHeading, EmailLayout, emailStyles } from "./layout";

export type TAdminInvitationProps = { signInUrl: string; role: string };

export const ADMIN_INVITATION_SUBJECT = "You are invited to the Objection admin console";

export const AdminInvitation = ({ signInUrl, role }: TAdminInvitationProps) => (
  <EmailLayout locale="en" preview="You are invited to the admin console">
    <EmailHeading>You are invited to the admin console</EmailHeading>
    <Text style={emailStyles.text}>
      An admin gave this address the {role} role in the console where the privacy team reviews objections to AI training. Sign in with this address: we email you a link, no password.
    </Text>
    <EmailAction href={signInUrl}>Go to sign-in</EmailAction>
    <EmailFooter>If you did not expect this, ignore this email.</EmailFooter>
  </EmailLayout>
);

AdminInvitation.PreviewProps = { signInUrl: "http://localhost:3000/admin/sign-in", role: "reviewer" } satisfies TAdminInvitationProps;

export default AdminInvitation;
