import type en from "./messages/en.json";

// English is the reference: every other messages/*.json has the same keys.
declare module "next-intl" {
  // Module augmentation merges into next-intl's own interface, which a type alias cannot do.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface AppConfig {
    Messages: typeof en;
  }
}
