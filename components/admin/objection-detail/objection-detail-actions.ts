import type { TActionResult } from "@/lib/auth/admin-action";
import type { TMatchPreview } from "@/lib/objections/admin/preview-match";
import type { TRevealedObjection } from "@/lib/objections/admin/reveal-objection";

/** A console server action as a client component receives it (adminAction's shape). */
export type TAdminActionFn<TData = undefined> = (input: unknown) => Promise<TActionResult<TData>>;

/**
 * The objection page's server actions. The route passes them in, so that components/ imports
 * nothing from app/ and each dialog names only the action it runs.
 */
export type TObjectionDetailActions = {
  reveal: TAdminActionFn<TRevealedObjection>;
  addNote: TAdminActionFn;
  match: TAdminActionFn;
  previewMatch: TAdminActionFn<TMatchPreview>;
  unmatch: TAdminActionFn;
  markSpam: TAdminActionFn;
  requestRejection: TAdminActionFn;
  approveRejection: TAdminActionFn;
  cancelRejection: TAdminActionFn;
};
