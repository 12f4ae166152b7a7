import "server-only";

import { z } from "zod";

import { hasControlCharacter } from "@/lib/validation/text";

// The field types lib/env.ts builds its schema from: each names its variable in its messages.

export const secret = (name: string) =>
  z.string({ error: `${name} is missing` }).min(32, { error: `${name} must be at least 32 characters` });

export const optionalSecret = (name: string) => secret(name).optional();

// Keys that sign links, current first; spaces around the commas are not part of a key.
const LINK_SECRETS_FORMAT = "LINK_SECRETS must be a comma-separated list of secrets, each at least 32 characters, current first";
export const linkSecrets = z
  .string()
  .transform((value) => value.split(",").map((key) => key.trim()))
  .refine((keys) => keys.every((key) => key.length >= 32), { error: LINK_SECRETS_FORMAT })
  .refine((keys) => new Set(keys).size === keys.length, { error: "LINK_SECRETS must not list the same secret twice" })
  .optional();

export const urlWithProtocols = (name: string, protocols: string[]) =>
  z
    .string({ error: `${name} is missing` })
    .refine((value) => URL.canParse(value) && protocols.includes(new URL(value).protocol), {
      error: `${name} must be a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}`,
    });

export const positiveInt = (name: string, fallback: number) =>
  z.coerce.number({ error: `${name} must be a whole number` }).int({ error: `${name} must be a whole number` }).positive({ error: `${name} must be positive` }).default(fallback);

/** A whole number from `min` to `max`: `notWhole` when it is not one, `outOfRange` when it is beyond them. */
export const intInRange = ({ min, max, fallback, notWhole, outOfRange }: { min: number; max: number; fallback: number; notWhole: string; outOfRange: string }) =>
  z.coerce.number({ error: notWhole }).int({ error: notWhole }).min(min, { error: outOfRange }).max(max, { error: outOfRange }).default(fallback);

/** A name or an address shown to people: one line of at most `max` characters. */
export const displayText = (name: string, max: number) =>
  z
    .string({ error: `${name} is missing: GDPR Art. 13 asks every page and email to say who is asking` })
    .trim()
    .min(1, { error: `${name} is missing: GDPR Art. 13 asks every page and email to say who is asking` })
    .max(max, { error: `${name} must be at most ${max} characters` })
    .refine((value) => !hasControlCharacter(value), { error: `${name} must be one line without control characters` });

/** A host name as DNS writes it (lower case): labels of letters, digits and dashes, at least one dot. */
const DOMAIN_NAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const domainName = (name: string) => z.string().trim().toLowerCase().regex(DOMAIN_NAME, { error: `${name} must be a domain name, e.g. example.eu` });

const DOMAIN_RATES_FORMAT = "MAIL_DOMAIN_RATES must be domain=rate pairs separated by commas, e.g. gmail.com=300,outlook.com=150";

/**
 * `gmail.com=300,outlook.com=150`: emails a second to each recipient domain, across every worker.
 * Domains are lower-cased and match the address's domain exactly (a subdomain is a domain of its own).
 * Domains are not secrets, so a message may name the one at fault.
 */
export const mailDomainRates = z
  .string()
  .optional()
  .transform((value, context): ReadonlyMap<string, number> => {
    const rates = new Map<string, number>();
    if (!value) return rates;
    for (const entry of value.split(",")) {
      const parts = entry.split("=").map((part) => part.trim());
      const domain = (parts[0] ?? "").toLowerCase();
      const rate = parts[1] ?? "";
      const message =
        parts.length !== 2 || domain === ""
          ? DOMAIN_RATES_FORMAT
          : !DOMAIN_NAME.test(domain)
            ? `MAIL_DOMAIN_RATES: "${domain}" is not a domain name, e.g. gmail.com`
            : !/^[0-9]+$/.test(rate) || Number(rate) <= 0 || !Number.isSafeInteger(Number(rate))
              ? `MAIL_DOMAIN_RATES: the rate of ${domain} must be a whole number of emails per second, 1 or more`
              : rates.has(domain)
                ? `MAIL_DOMAIN_RATES names ${domain} twice`
                : null;
      if (message) {
        context.addIssue({ code: "custom", message });
        return z.NEVER;
      }
      rates.set(domain, Number(rate));
    }
    return rates;
  });
