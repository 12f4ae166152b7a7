/** Trims the address and lower-cases its domain; the local part is kept, as RFC 5321 allows it to be case-sensitive. */
export const normaliseEmail = (email: string) => {
  const trimmed = email.trim();
  const at = trimmed.lastIndexOf("@");
  if (at < 0) return trimmed;
  return `${trimmed.slice(0, at)}@${trimmed.slice(at + 1).toLowerCase()}`;
};
