/**
 * The one normalisation of an email address, for storage, every lookup and the export's HMAC:
 * trimmed, Unicode NFC, then the whole address lower-cased. Lower-casing the local part is
 * stricter than RFC 5321, but no provider a member uses tells Jane@ from jane@, and treating
 * them as two people would let an objection miss its account. docs/export-format.md documents
 * the same steps for the pipeline.
 */
export const normaliseEmail = (email: string) => email.trim().normalize("NFC").toLowerCase();
