import { randomUUID } from "node:crypto";

import type { Page } from "@playwright/test";

import { ADMIN_BASE_URL } from "./admin-fixtures";
import { expectNoViolations } from "./axe";
import { expect } from "./fixtures";
import { test } from "./member-notices-fixtures";

// The member lookup's posts (moved from admin-member-notices.spec.ts).

test.describe("a member's notices in the console", () => {
  test.describe("the lookup posts: what is typed never reaches the URL", () => {
    const findMember = async (page: Page, value: string) => {
      await page.goto(`${ADMIN_BASE_URL}/admin/members`);
      await page.getByLabel("External id (exact)").fill(value);
      await page.getByRole("button", { name: "Find member" }).click();
    };

    const expectNothingInTheUrl = (page: Page, value: string) => {
      expect(page.url()).toBe(`${ADMIN_BASE_URL}/admin/members`);
      expect(decodeURIComponent(page.url())).not.toContain(value);
    };

    test("an unknown id says so; an address pasted by mistake is told apart; a malformed id is explained; none lands in the URL", async ({ page, asAdmin }) => {
      await asAdmin("viewer");
      const requested: string[] = [];
      page.on("request", (request) => requested.push(request.url()));

      const unknown = `nobody-${randomUUID()}`;
      await findMember(page, unknown);
      await expect(page.getByText("No member has this external id")).toBeVisible();
      await expect(page.getByLabel("External id (exact)")).toHaveValue(unknown);
      expectNothingInTheUrl(page, unknown);

      const address = `jane-${randomUUID()}@example.eu`;
      await findMember(page, address);
      await expect(page.getByText("Search by external id; addresses are not searched here")).toBeVisible();
      await expect(page.getByText("No member has this external id")).toHaveCount(0);
      await expect(page.getByRole("link", { name: "search the objections" })).toHaveAttribute("href", "/admin/objections");
      expectNothingInTheUrl(page, address);
      await expectNoViolations(page);

      await findMember(page, "   ");
      await expect(page.getByText("Enter the member's external id.")).toBeVisible();
      await expect(page.getByLabel("External id (exact)")).toHaveAttribute("aria-invalid", "true");

      // No request of the page, its action or its assets carried what was typed.
      expect(requested.filter((url) => decodeURIComponent(url).includes(unknown) || decodeURIComponent(url).includes(address))).toEqual([]);
    });

    test.describe("without JavaScript", () => {
      test.use({ javaScriptEnabled: false });

      test("the form still posts: a member found opens their page, an address gets the hint, and neither value is in a URL", async ({ page, asAdmin, createQuietMember }) => {
        const member = await createQuietMember();
        await asAdmin("viewer");

        await findMember(page, member.externalId);
        await expect(page).toHaveURL(`${ADMIN_BASE_URL}/admin/members/${member.id}`);
        await expect(page.getByTestId("member-external-id")).toHaveText(member.externalId);

        const address = `jane-${randomUUID()}@example.eu`;
        await findMember(page, address);
        await expect(page.getByText("Search by external id; addresses are not searched here")).toBeVisible();
        expectNothingInTheUrl(page, address);
      });
    });
  });
});
