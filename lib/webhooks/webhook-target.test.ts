import { describe, expect, it } from "vitest";

import { resolveWebhookTarget, type TResolveHost } from "@/lib/webhooks/webhook-target";

/** A resolver that answers every host with these addresses, as a DNS server controlled by an attacker would. */
const resolvesTo =
  (...addresses: string[]): TResolveHost =>
  async () =>
    addresses;

const problem = async (args: Parameters<typeof resolveWebhookTarget>[0]) => {
  try {
    await resolveWebhookTarget(args);
    return null;
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  }
};

describe("the webhook SSRF rules", () => {
  it("accepts an https URL on a public address, and pins the connection to it", async () => {
    const target = await resolveWebhookTarget({ url: "https://pipeline.example.eu/hooks", resolve: resolvesTo("93.184.216.34"), allowPrivate: false });
    expect(target).toMatchObject({ address: "93.184.216.34", family: 4 });
    expect(target.url.hostname).toBe("pipeline.example.eu");
  });

  it("refuses http://, a user name in the URL and a host that does not resolve", async () => {
    expect(await problem({ url: "http://pipeline.example.eu/hooks", resolve: resolvesTo("93.184.216.34"), allowPrivate: false })).toMatchObject({ code: "invalid", message: "url must start with https://." });
    expect((await problem({ url: "https://user:pw@pipeline.example.eu/", resolve: resolvesTo("93.184.216.34"), allowPrivate: false }))?.message).toMatch(/user name or password/);
    const nowhere: TResolveHost = () => Promise.reject(new Error("ENOTFOUND"));
    expect((await problem({ url: "https://nowhere.example.eu/", resolve: nowhere, allowPrivate: false }))?.message).toMatch(/does not resolve/);
  });

  it("refuses a host name that resolves to 127.0.0.1, through the system's resolver too (localhost)", async () => {
    expect((await problem({ url: "https://pipeline.example.eu/", resolve: resolvesTo("127.0.0.1"), allowPrivate: false }))?.message).toMatch(/127\.0\.0\.1 is a loopback address/);
    expect(await problem({ url: "https://localhost:8443/hooks", allowPrivate: false })).toMatchObject({ code: "invalid" });
    // One bad address among good ones is enough: a connection could reach any of them.
    expect(await problem({ url: "https://pipeline.example.eu/", resolve: resolvesTo("93.184.216.34", "10.0.0.7"), allowPrivate: false })).toMatchObject({ code: "invalid" });
    expect(await problem({ url: "https://[::ffff:127.0.0.1]/", allowPrivate: false })).toMatchObject({ code: "invalid" });
  });

  it("allows private and loopback targets, over http:// too, with WEBHOOK_ALLOW_PRIVATE", async () => {
    expect(await resolveWebhookTarget({ url: "http://localhost:8080/hooks", resolve: resolvesTo("127.0.0.1"), allowPrivate: true })).toMatchObject({ address: "127.0.0.1" });
    expect(await resolveWebhookTarget({ url: "https://pipeline.internal/", resolve: resolvesTo("10.0.0.7"), allowPrivate: true })).toMatchObject({ address: "10.0.0.7" });
    // Not a public address over plain http, though.
    expect(await problem({ url: "http://pipeline.example.eu/", resolve: resolvesTo("93.184.216.34"), allowPrivate: true })).toMatchObject({ code: "invalid" });
  });

  it("refuses link-local addresses (cloud metadata) always", async () => {
    for (const allowPrivate of [false, true]) {
      expect((await problem({ url: "http://169.254.169.254/latest/meta-data", allowPrivate }))?.message).toMatch(/link-local/);
      expect((await problem({ url: "https://metadata.example.eu/", resolve: resolvesTo("fe80::1"), allowPrivate }))?.message).toMatch(/link-local/);
    }
  });
});
