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
  // Playwright fixtures call `use`, which is not React's hook.
  { files: ["e2e/**"], rules: { "react-hooks/rules-of-hooks": "off" } },
  // Next.js loads next.config.js as CommonJS.
  { files: ["next.config.js"], rules: { "@typescript-eslint/no-require-imports": "off" } },
];

export default config;
