import { TEST_ENV } from "../test/test-env";

// What the platform API's specs send: the platform's bearer token, and a member as the platform
// syncs it (its email padded and mixed-case, for the API to normalise).

export const PLATFORM_AUTH = { authorization: `Bearer ${TEST_ENV.PLATFORM_API_TOKEN}` };

export const platformMember = (externalId: string, overrides: Record<string, unknown> = {}) => ({
  externalId,
  email: `  ${externalId}@Example.EU `,
  country: "LU",
  birthDate: "1990-02-03",
  locale: "en",
  ...overrides,
});
