import { randomUUID } from "node:crypto";

import { expect } from "vitest";

import { AppError } from "@/lib/errors/app-error";
import { db } from "@/lib/db";
import { pgPool } from "@/lib/pg";
import { createMember } from "@/test/factories";

// Objections, and what the admin actions on them leave behind, for the admin action tests.

export const createTestMember = ({ locale = "en" }: { locale?: string } = {}) => createMember({ db: pgPool(), country: "DE", birthDate: "1990-01-02", locale });

/** An objection made without a link to an account (source direct, no member), as a forwarded one or an import might be. */
export const createUnmatchedObjection = async ({ email = `person-${randomUUID()}@example.eu` }: { email?: string } = {}) =>
  db().objection.create({ data: { email, country: "FR", source: "direct", reason: "I never agreed to this." } });

export const createMatchedObjection = async ({ locale = "en" }: { locale?: string } = {}) => {
  const member = await createTestMember({ locale });
  const objection = await db().objection.create({ data: { memberId: member.id, email: member.email, country: member.country, source: "email_link" } });
  return { member, objection };
};

export const eventsOf = (objectionId: string) => db().objectionEvent.findMany({ where: { objectionId }, orderBy: { id: "asc" } });
export const auditOf = (objectionId: string) => db().auditEvent.findMany({ where: { targetType: "objection", targetId: objectionId }, orderBy: { id: "asc" } });

export const rejectionJobsFor = async (objectionId: string) =>
  (await pgPool().query<{ data: { objectionId: string } }>(`SELECT data FROM pgboss.job WHERE name = 'objection-rejection' AND data->>'objectionId' = $1`, [objectionId])).rows;

/** The AppError an admin action failed with (failing the test if it did not). */
export const adminError = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
};
