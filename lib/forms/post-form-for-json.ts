/**
 * What a form with JavaScript does instead of the browser's post: the same fields, to the same
 * route handler, asking for JSON rather than the redirect a browser without JavaScript follows.
 */
export const postFormForJson = async <TAnswer>({ url, form }: { url: string; form: HTMLFormElement }) => {
  const body = new URLSearchParams([...new FormData(form).entries()].map(([name, value]) => [name, String(value)]));
  const response = await fetch(url, { method: "POST", body, headers: { accept: "application/json" } });
  return (await response.json()) as TAnswer;
};
