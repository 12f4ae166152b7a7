/** A short reference a person can read out on the phone: the first 8 hex digits of the id. */
export const objectionReference = (objectionId: string) => objectionId.replaceAll("-", "").slice(0, 8).toUpperCase().replace(/^(.{4})/, "$1-");
