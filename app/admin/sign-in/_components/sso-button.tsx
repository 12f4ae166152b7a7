import { KeyRound } from "lucide-react";

import { Button } from "@/components/ui/button";

/** Sign in through the company's provider: a form, so it works without JavaScript too. */
export const SsoButton = ({ name, action }: { name: string; action: () => Promise<void> }) => (
  <form action={action}>
    <Button type="submit" className="w-full">
      <KeyRound className="h-4 w-4" aria-hidden />
      Sign in with {name}
    </Button>
  </form>
);
