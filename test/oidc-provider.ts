import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import type Provider from "oidc-provider";
import type { Adapter, AdapterPayload, Configuration, JWK, KoaContextWithOIDC } from "oidc-provider";

import { handleTestControl, type TOidcUserPatch } from "./oidc-provider-control";

/** A person the test OpenID provider knows; `sub` is also what they type into its login form. */
export type TOidcUser = {
  sub: string;
  email: string;
  emailVerified: boolean;
  name: string;
  groups: string[];
  /** Like providers that keep the ID token small: its email verification and groups only from userinfo. */
  claimsInUserinfoOnly?: boolean;
  /** Each refresh of this user's grant issues a new refresh token and retires the old one, as many providers do. */
  rotateRefreshToken?: boolean;
  /** The ID token of this user's sign-ins carries a nonce other than the client sent, as a token replayed from another flow would: a client must refuse it. */
  wrongNonce?: boolean;
};

export type TOidcProviderOptions = {
  port?: number;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  users: TOidcUser[];
  /** Where the OP may send a browser after RP-initiated logout (`post_logout_redirect_uri`). */
  postLogoutRedirectUris?: string[];
  /** Serves `POST /__test/users/<sub>` (test/oidc-provider-control.ts): only for a harness in another process than its test. */
  testControl?: boolean;
};

export type TOidcProvider = Awaited<ReturnType<typeof startOidcProvider>>;

/** Everything the one client may ask for; the grant the OP gives always covers all of it. */
const SCOPES = ["openid", "email", "profile", "groups", "offline_access"];

// oidc-provider 9 prints "Unsupported runtime" (it wants Node 22) when its module is first
// evaluated. A static import would print it before anything here runs, so the module is imported
// once, dynamically, with that single warning filtered out; every other warning still shows.
let providerClass: Promise<typeof Provider> | undefined;
const loadProvider = () =>
  (providerClass ??= (async () => {
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (!String(args[0]).includes("Unsupported runtime")) warn(...args);
    };
    try {
      return (await import("oidc-provider")).default;
    } finally {
      console.warn = warn;
    }
  })());

// oidc-provider's own in-memory adapter works but warns ("development-only") on every start. This
// one is as good for a test: one store per provider, linear scans over a handful of entries.
const memoryAdapter = () => {
  const store = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  const live = () => [...store].filter(([key, entry]) => entry.expiresAt > Date.now() || !store.delete(key));
  return (model: string): Adapter => {
    const key = (id: string) => `${model}:${id}`;
    const findBy = async (field: "uid" | "userCode", value: string) => live().find(([k, e]) => k.startsWith(`${model}:`) && e.payload[field] === value)?.[1].payload;
    return {
      upsert: async (id, payload, expiresIn) => void store.set(key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity }),
      find: async (id) => live().find(([k]) => k === key(id))?.[1].payload,
      findByUid: (uid) => findBy("uid", uid),
      findByUserCode: (userCode) => findBy("userCode", userCode),
      consume: async (id) => void (store.get(key(id))!.payload.consumed = Math.floor(Date.now() / 1000)),
      destroy: async (id) => void store.delete(key(id)),
      revokeByGrantId: async (grantId) => live().forEach(([k, e]) => e.payload.grantId === grantId && store.delete(k)),
    };
  };
};

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// oidc-provider's own pages @import a web font from the internet: a browser on a machine without
// network would wait on it before `load`. Every page the OP shows comes from here instead.
const page = (title: string, body: string) =>
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;

const loginPage = (uid: string, error?: string) =>
  page(
    "Sign in",
    `${error ? `<p role="alert">${escapeHtml(error)}</p>` : ""}<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">` +
      `<label for="login">Login</label> <input id="login" name="login" autofocus required> <button type="submit">Sign in</button></form>`,
  );

const readForm = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
};

const sendHtml = (res: ServerResponse, status: number, html: string) => {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(html);
};

/**
 * A real OpenID provider (panva's oidc-provider 9) on 127.0.0.1, with one confidential client
 * (client_secret_basic, code flow, PKCE required, refresh tokens) and the given users. Its login
 * form takes a `sub` and no password, and consent is implied, so a browser signs in with one
 * form post. `setUser` changes a user's claims at once: the next sign-in, refresh or userinfo
 * call sees them.
 */
export const startOidcProvider = async ({ port = 0, clientId, clientSecret, redirectUris, users, postLogoutRedirectUris = [], testControl = false }: TOidcProviderOptions) => {
  const Provider = await loadProvider();
  const accounts = new Map(users.map((user) => [user.sub, { ...user, groups: [...user.groups] }]));

  // The HTTP server must listen before the provider exists: the issuer names the bound port.
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => sendHtml(res, 503, page("Starting", ""));
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // A grant for everything the client may ask for: no consent screen, ever. A fresh grant per
  // request also means nothing lingers from an earlier sign-in of the same user.
  const fullGrant = async (provider: Provider, accountId: string) => {
    const grant = new provider.Grant({ accountId, clientId });
    grant.addOIDCScope(SCOPES.join(" "));
    await grant.save();
    return grant;
  };

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        post_logout_redirect_uris: postLogoutRedirectUris,
        response_types: ["code"],
        grant_types: ["authorization_code", "refresh_token"],
        token_endpoint_auth_method: "client_secret_basic",
        scope: SCOPES.join(" "),
      },
    ],
    // Claims are read when a token or userinfo answer is made, not at sign-in, so `setUser` is
    // seen by the next refresh or userinfo call without a new sign-in.
    findAccount: (_ctx, sub) =>
      accounts.has(sub)
        ? {
            accountId: sub,
            claims: (use: string) => {
              const user = accounts.get(sub)!;
              if (use === "id_token" && user.claimsInUserinfoOnly) return { sub, email: user.email, name: user.name };
              return { sub, email: user.email, email_verified: user.emailVerified, name: user.name, groups: [...user.groups] };
            },
          }
        : undefined,
    claims: { email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    scopes: SCOPES,
    // By default, with userinfo enabled, the ID token from the code flow holds only `sub` and the
    // rest comes from userinfo. The app reads email and groups from the ID token, like most IdPs'.
    conformIdTokenClaims: false,
    // PKCE is required by default only for public clients; the app always sends it, so insist.
    pkce: { required: () => true },
    // By default a refresh token needs the offline_access scope, which oidc-provider also drops
    // unless the request says prompt=consent. Many IdPs issue one regardless: so does this one.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    // Per user, so one provider serves both kinds; otherwise never, as oidc-provider's default
    // does for a confidential client until a token is 70 % through its lifetime.
    rotateRefreshToken: (ctx) => accounts.get(ctx.oidc.entities.RefreshToken?.accountId ?? "")?.rotateRefreshToken === true,
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => fullGrant(ctx.oidc.provider, ctx.oidc.session!.accountId!),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    adapter: memoryAdapter(),
    // Explicit lifetimes (seconds): the defaults work but print a notice the first time each is used.
    ttl: { AccessToken: 3600, AuthorizationCode: 60, IdToken: 3600, RefreshToken: 86_400, Interaction: 600, Session: 86_400, Grant: 86_400 },
    // Given keys keep the provider from generating its own and warning about it.
    jwks: { keys: [generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" }) as JWK] },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.type = "html";
          ctx.body = page("Sign out", `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>`);
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = "html";
          ctx.body = page("Signed out", "");
        },
      },
    },
    renderError: (ctx, out) => {
      ctx.type = "html";
      ctx.body = page("Error", `<pre>${escapeHtml(JSON.stringify(out, null, 2))}</pre>`);
    },
  };

  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();

  const interaction = async (req: IncomingMessage, res: ServerResponse, uid: string, isLoginPost: boolean) => {
    const details = await provider.interactionDetails(req, res);
    // A consent prompt only comes when the client sends prompt=consent: agree to it at once.
    if (details.prompt.name === "consent" && details.session?.accountId) {
      const grant = await fullGrant(provider, details.session.accountId);
      return provider.interactionFinished(req, res, { consent: { grantId: grant.jti } }, { mergeWithLastSubmission: true });
    }
    if (!isLoginPost) return sendHtml(res, 200, loginPage(uid));
    const login = (await readForm(req)).get("login")?.trim() ?? "";
    if (!accounts.has(login)) return sendHtml(res, 200, loginPage(uid, `No user "${login}".`));
    // The code is issued with the interaction's stored parameters: a changed nonce ends up in the ID token.
    if (accounts.get(login)!.wrongNonce) {
      details.params.nonce = `not-${String(details.params.nonce)}`;
      await details.persist();
    }
    await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
  };

  const setUser = (sub: string, patch: TOidcUserPatch) => {
    const user = accounts.get(sub);
    if (!user) throw new Error(`oidc-provider harness: no user "${sub}"`);
    accounts.set(sub, { ...user, ...patch, groups: [...(patch.groups ?? user.groups)] });
  };

  handle = (req, res) => {
    if (testControl && req.url?.startsWith("/__test/")) {
      void handleTestControl({ req, res, setUser }).then((handled) => handled || sendHtml(res, 404, page("Not found", "")));
      return;
    }
    const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(new URL(req.url ?? "/", issuer).pathname);
    if (!match) return void callback(req, res);
    const isLoginPost = match[2] !== undefined && req.method === "POST";
    interaction(req, res, match[1]!, isLoginPost).catch((error: Error) => {
      // Usually an expired or missing interaction cookie (SessionNotFound): say so, don't crash.
      if (!res.headersSent) sendHtml(res, 400, page("Error", `<pre>${escapeHtml(error.name)}: ${escapeHtml(error.message)}</pre>`));
      else res.end();
    });
  };

  return {
    issuer,
    /** Changes what the provider says about a user from now on (groups, email, …). */
    setUser,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Clients keep connections alive; without this, close() waits for them to time out.
        server.closeAllConnections();
      }),
  };
};
