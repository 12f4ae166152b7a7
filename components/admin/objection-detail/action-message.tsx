import { Alert } from "@/components/ui/alert";
import type { TActionResult } from "@/lib/auth/admin-action";

/** What the last action answered: announced to screen readers, in the form's place. */
export const ActionMessage = ({
  result,
}: {
  result: TActionResult<unknown> | null;
}) => {
  if (!result?.message) return null;
  return (
    <Alert
      tone={result.ok ? "success" : "danger"}
      role={result.ok ? "status" : "alert"}
      className="mt-3"
    >
      {result.message}
    </Alert>
  );
};
