// One lint for the whole tree: typescript-eslint's type-checked rules, formatting left to Prettier.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import prettier from "eslint-config-prettier";
import globals from "globals";

export default tseslint.config(
    { ignores: ["dist/", "node_modules/", "**/node_modules/", "examples/*/bin/"] },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
        languageOptions: {
            parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
        },
        rules: {
            // `_`-prefixed names are the ones a destructuring leaves out on purpose.
            "@typescript-eslint/no-unused-vars": [
                "error",
                { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true },
            ],
        },
    },
    {
        // The one serialized file: its function bodies are stored in state as written (no comments
        // inside them) and run in the host, where the package is loaded by name with require.
        files: ["provider/resources/serialized.ts"],
        rules: {
            "@typescript-eslint/no-require-imports": "off",
            "@typescript-eslint/no-unsafe-assignment": "off",
            "@typescript-eslint/prefer-promise-reject-errors": "off",
        },
    },
    {
        files: ["**/*.js", "**/*.mjs"],
        extends: [tseslint.configs.disableTypeChecked],
        languageOptions: { globals: { ...globals.node } },
        // Plain CommonJS files (mocha's reporter) load modules with require.
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    prettier,
);
