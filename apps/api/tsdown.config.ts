import { defineConfig } from "tsdown";

export default defineConfig({
  entry: ["src/index.ts"],
  format: "esm",
  platform: "node",
  target: "node20",
  outDir: "dist",
  clean: true,
  fixedExtension: false,
  deps: {
    // Workspace packages export TypeScript source, which Node 20 cannot run: inline them.
    alwaysBundle: [/^@tsbin\//],
    neverBundle: (id: string) => !/^(\.|\/|\0|[A-Za-z]:)/.test(id) && !id.startsWith("@tsbin/"),
  },
});
