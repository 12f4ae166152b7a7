/** TRAINING_STARTS_AT for the e2e run, in the past: an objection made in the run comes after it; one moved before it (its stored time), before. */
export const E2E_TRAINING_STARTS_AT = "2026-01-01";
