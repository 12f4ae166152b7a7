/** What a campaign command answers: the API maps `not_found` to 404 and `conflict` to 409. */
export type TCampaignResult<T = object> = ({ ok: true } & T) | { ok: false; reason: "not_found" | "conflict"; message: string };

export const campaignNotFound = { ok: false, reason: "not_found", message: "No campaign has this id." } as const;
