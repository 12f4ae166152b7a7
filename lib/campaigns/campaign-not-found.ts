import "server-only";

import { AppError } from "@/lib/errors/app-error";

/** What a campaign command throws for an id no campaign has: the API answers it as a 404, with this message. */
export const campaignNotFound = () => new AppError("not_found", { message: "No campaign has this id." });
