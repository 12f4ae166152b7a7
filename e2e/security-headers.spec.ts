import { expect, test } from "./fixtures";

const EXPECTED = {
  "x-content-type-options": "nosniff",
  "content-security-policy": "frame-ancestors 'none'",
  "x-frame-options": "DENY",
};

test("every kind of page forbids framing, sniffing and the browser features it does not use", async ({ request, createMember }) => {
  const member = await createMember();
  const paths = ["/", "/object", member.path, "/o/not-a-token", "/s/not-a-token", "/admin/sign-in", "/api/health"];
  for (const path of paths) {
    const response = await request.get(path, { maxRedirects: 0 });
    const headers = response.headers();
    expect(headers, path).toMatchObject(EXPECTED);
    expect(headers["permissions-policy"], path).toContain("camera=()");
    expect(headers["permissions-policy"], path).toContain("geolocation=()");
  }
});
