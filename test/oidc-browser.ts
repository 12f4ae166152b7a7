// A browser's part in a code flow, over HTTP: shared by the harness's own test and the console's
// sign-in tests. Imports no app code (test/ files are shared with Playwright).

/** What a browser does between the app's redirect to the OP and the OP's redirect back: a cookie jar and manual redirects. */
export const signInAtProvider = async ({ authorizationUrl, login, redirectUri }: { authorizationUrl: URL; login: string; redirectUri: string }) => {
  const jar = new Map<string, string>();
  const request = async (url: URL, init: RequestInit = {}) => {
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
    const response = await fetch(url, { ...init, redirect: "manual", headers: { ...init.headers, ...(cookie ? { cookie } : {}) } });
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const [name = "", value = ""] = pair.split("=", 2);
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === "";
      if (expired) jar.delete(name.trim());
      else jar.set(name.trim(), value);
    }
    return response;
  };
  let url = authorizationUrl;
  let init: RequestInit = {};
  for (let hop = 0; hop < 10; hop++) {
    const response = await request(url, init);
    init = {};
    const location = response.headers.get("location");
    if (location) {
      await response.body?.cancel();
      url = new URL(location, url);
      // The OP is done once it sends the browser back to the app.
      if (url.href.startsWith(redirectUri)) return url;
      continue;
    }
    const html = await response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (response.status !== 200 || !action) throw new Error(`unexpected page ${response.status} at ${url}: ${html.slice(0, 500)}`);
    if (!html.includes('name="login"')) throw new Error(`no login form at ${url}`);
    const alert = /<p role="alert">([^<]*)<\/p>/.exec(html)?.[1];
    if (alert) throw new Error(`the OP's login form says: ${alert}`);
    url = new URL(action, url);
    init = { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ login }).toString() };
  }
  throw new Error("too many redirects");
};
