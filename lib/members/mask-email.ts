/** `jane@example.eu` → `j•••@example.eu`: enough for a person to recognise their address, not to read it out. */
export const maskEmail = (email: string) => {
  const at = email.lastIndexOf("@");
  if (at < 1) return "•••";
  return `${email.slice(0, 1)}•••${email.slice(at)}`;
};
