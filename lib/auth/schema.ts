import { z } from "zod";

import { emailAddress } from "@/lib/validation/email";

export const ZAdminSignIn = z.object({
  // An invited address may be internationalised: sign-in takes what the invitation took.
  email: emailAddress({ error: "Enter your work email address, like name@example.eu." }).max(320, { error: "That address is too long." }),
});

export type TAdminSignIn = z.infer<typeof ZAdminSignIn>;
