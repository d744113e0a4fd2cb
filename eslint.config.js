// ESLint: typescript-eslint's strict type-checked rules for the SDK, and for every file the rules that keep code
// readable (no nested ternaries, no comma operators, Errors thrown rather than strings, no unused code).
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

const readable = {
  "no-nested-ternary": "error",
  "no-sequences": ["error", { allowInParentheses: false }],
  "no-throw-literal": "error",
  "no-unused-vars": ["error", { argsIgnorePattern: "^_", caughtErrors: "none" }],
  "no-unused-expressions": "error",
  "no-param-reassign": "error",
  "prefer-const": "error",
  eqeqeq: ["error", "smart"],
};

export default tseslint.config(
  { ignores: ["generated/", "dist/", "docs/", "reports/", ".tmp/", "node_modules/"] },
  js.configs.recommended,
  { languageOptions: { globals: { ...globals.node, ...globals.browser } }, rules: readable },
  {
    files: ["**/*.ts"],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "no-unused-vars": "off",
      "no-unused-expressions": "off",
      "no-throw-literal": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      "@typescript-eslint/no-unused-expressions": "error",
      "@typescript-eslint/only-throw-error": "error",
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      // `() => void promise` and `x => void list.push(x)` say what they mean.
      "@typescript-eslint/no-confusing-void-expression": [
        "error",
        { ignoreArrowShorthand: true, ignoreVoidOperator: true },
      ],
    },
  },
  {
    // Tests poke at parsed JSON and at values they have just checked: `any` and `!` are the honest types there.
    files: ["test/**/*.ts", "bench/**", "vitest.config.ts"],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      // Fakes are async without awaiting, reject with what fetch rejects with, and narrow errors by casting.
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/prefer-promise-reject-errors": "off",
      "@typescript-eslint/use-unknown-in-catch-callback-variable": "off",
      "@typescript-eslint/no-base-to-string": "off",
      "@typescript-eslint/no-unsafe-class-instance-assignment": "off",
    },
  },
);
