import type en from "./messages/en.json";

// English is the reference: every other messages/*.json has the same keys.
declare module "next-intl" {
  interface AppConfig {
    Messages: typeof en;
  }
}
