import "server-only";

/** A form post's text fields (url-encoded or multipart) of at most `maxBytes`; null when too large or not a form. */
export const readFormFields = async (request: Request, { maxBytes }: { maxBytes: number }): Promise<Record<string, string> | null> => {
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) return null;
  try {
    const form = await request.formData();
    return Object.fromEntries([...form.entries()].filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  } catch {
    return null;
  }
};
