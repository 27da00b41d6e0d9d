// One lint for the whole tree: typescript-eslint's type-checked rules, formatting left to Prettier.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import prettier from "eslint-config-prettier";
import globals from "globals";
import { createNodeResolver, importX } from "eslint-plugin-import-x";
import { builtinModules } from "node:module";

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
            // Types come in as types: what is only a type never loads a module at run time.
            "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
        },
    },
    {
        // No import cycles (a shared type lives in a leaf module), and Node's modules by `node:` name.
        plugins: { "import-x": importX },
        settings: {
            "import-x/extensions": [".ts", ".js", ".mjs"],
            "import-x/parsers": { "@typescript-eslint/parser": [".ts"] },
            "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".d.ts", ".js", ".json"] })],
        },
        rules: {
            "import-x/no-cycle": "error",
            "no-restricted-imports": [
                "error",
                {
                    paths: builtinModules
                        .filter((name) => !name.startsWith("_") && !name.includes(":"))
                        .map((name) => ({ name, message: `Import "node:${name}".` })),
                },
            ],
        },
    },
    {
        // Each example's own tsconfig resolves "pulumi-docr" from its installed node_modules; lint
        // them through examples/tsconfig.json, which maps it to this checkout's sources.
        files: ["examples/*/index.ts"],
        languageOptions: {
            parserOptions: {
                projectService: false,
                project: "examples/tsconfig.json",
                tsconfigRootDir: import.meta.dirname,
            },
        },
    },
    {
        // A resource class takes its output properties from its outputs interface by declaration
        // merging (`interface Registry extends OutputProperties<RegistryOutputs> {}`, see
        // provider/resources/outputs.ts); Pulumi sets them on the object, as `declare` fields would be.
        files: ["provider/resources/*.ts"],
        rules: {
            "@typescript-eslint/no-empty-object-type": ["error", { allowInterfaces: "with-single-extends" }],
            "@typescript-eslint/no-unsafe-declaration-merging": "off",
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
