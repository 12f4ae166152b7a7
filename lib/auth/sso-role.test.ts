import { describe, expect, it } from "vitest";

import { mappedRole, ssoRole } from "@/lib/auth/sso-role";

const roleMap = new Map([
  ["privacy-admins", "admin"],
  ["privacy-reviewers", "reviewer"],
  ["privacy-viewers", "viewer"],
] as const);

describe("mappedRole", () => {
  it("gives the highest role of the user's mapped groups, whatever their order", () => {
    expect(mappedRole({ claims: { groups: ["privacy-viewers", "privacy-admins", "privacy-reviewers"] }, rolesClaim: "groups", roleMap })).toBe("admin");
    expect(mappedRole({ claims: { groups: ["privacy-reviewers", "privacy-viewers"] }, rolesClaim: "groups", roleMap })).toBe("reviewer");
  });

  it("ignores groups the map does not name, and gives no role when none is mapped", () => {
    expect(mappedRole({ claims: { groups: ["engineering", "privacy-viewers"] }, rolesClaim: "groups", roleMap })).toBe("viewer");
    expect(mappedRole({ claims: { groups: ["engineering"] }, rolesClaim: "groups", roleMap })).toBeNull();
    expect(mappedRole({ claims: { groups: [] }, rolesClaim: "groups", roleMap })).toBeNull();
    expect(mappedRole({ claims: {}, rolesClaim: "groups", roleMap })).toBeNull();
  });

  it("reads the claim ADMIN_OIDC_ROLES_CLAIM names, as a list or a single name, and nothing of another shape", () => {
    expect(mappedRole({ claims: { roles: "privacy-reviewers", groups: ["privacy-admins"] }, rolesClaim: "roles", roleMap })).toBe("reviewer");
    expect(mappedRole({ claims: { groups: { "privacy-admins": true } }, rolesClaim: "groups", roleMap })).toBeNull();
    expect(mappedRole({ claims: { groups: [42, null, "privacy-viewers"] }, rolesClaim: "groups", roleMap })).toBe("viewer");
  });

  it("matches a group's name whole and exactly: no prefix, no other case", () => {
    expect(mappedRole({ claims: { groups: ["privacy-admins-old", "Privacy-Admins"] }, rolesClaim: "groups", roleMap })).toBeNull();
  });
});

describe("ssoRole", () => {
  it("with a role map, gives only the mapped role: an invitation neither raises it nor keeps access", () => {
    expect(ssoRole({ mapped: "viewer", invited: "admin", roleMapSet: true })).toBe("viewer");
    expect(ssoRole({ mapped: null, invited: "admin", roleMapSet: true })).toBeNull();
    expect(ssoRole({ mapped: "admin", invited: null, roleMapSet: true })).toBe("admin");
  });

  it("without a role map, gives the invited role, and none to someone not invited", () => {
    expect(ssoRole({ mapped: null, invited: "reviewer", roleMapSet: false })).toBe("reviewer");
    expect(ssoRole({ mapped: null, invited: null, roleMapSet: false })).toBeNull();
  });
});
