import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: [".next/**", "lib/generated/**", "node_modules/**", ".demo/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  {
    rules: {
      "@typescript-eslint/consistent-type-definitions": ["error", "type"],
      "func-style": ["error", "expression"],
      // `const { secret, ...rest } = value` is how an object is copied without one field.
      "@typescript-eslint/no-unused-vars": ["warn", { ignoreRestSiblings: true }],
    },
  },
  // Shared UI knows no route: a component that needs a route's server action receives it as a
  // prop, or lives beside its route in app/…/_components/.
  {
    files: ["components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(@/|(\\.\\./)+)app(/|$)",
              message: "components/ must not import from app/: take the server action as a prop, or move the component to app/…/_components/.",
            },
          ],
        },
      ],
    },
  },
  // Raw SQL through Prisma goes through its tagged templates ($queryRaw`…`), which bind every value:
  // the *Unsafe forms take a string, where an interpolated value would be injected. Set-based SQL
  // belongs to the pg pool (lib/pg.ts). The one exception is the transaction executor (sqlOn in
  // lib/pg-tx.ts), which is handed a statement and its values apart. Tests may use them to reach
  // what the app never does.
  {
    files: ["lib/**", "app/**", "scripts/**"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        { property: "$queryRawUnsafe", message: "Use $queryRaw`…` (values bound), or the pg pool for set-based SQL (lib/pg.ts)." },
        { property: "$executeRawUnsafe", message: "Use $executeRaw`…` (values bound), or the pg pool for set-based SQL (lib/pg.ts)." },
      ],
    },
  },
  // The export's chain depends on the primary's snapshot: nothing in it may read a replica.
  {
    files: ["lib/exports/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^@/lib/read-replica(/|$)",
              message: "The export reads the primary only (pgPool, directPgPool): a replica's snapshot may lack what the last run already exported.",
            },
          ],
        },
      ],
    },
  },
  // Playwright fixtures call `use`, which is not React's hook.
  { files: ["e2e/**"], rules: { "react-hooks/rules-of-hooks": "off" } },
  // Next.js loads next.config.js as CommonJS.
  { files: ["next.config.js"], rules: { "@typescript-eslint/no-require-imports": "off" } },
];

export default config;
