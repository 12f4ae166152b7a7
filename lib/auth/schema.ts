import { z } from "zod";

export const ZAdminSignIn = z.object({
  email: z.email({ error: "Enter your work email address, like name@example.eu." }).max(320, { error: "That address is too long." }),
});

export type TAdminSignIn = z.infer<typeof ZAdminSignIn>;
