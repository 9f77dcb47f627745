import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Plugin, Rollup } from "vite";

/** A limit on the JavaScript a browser downloads to show one route. */
export interface RouteBudget {
  /** The route's module, relative to the app's root, e.g. `src/routes/login.tsx`. */
  module: string;
  /** Largest gzip size allowed for the entry chunk, the route's chunk and everything they import statically. */
  maxGzipBytes: number;
}

function isChunk(output: Rollup.OutputAsset | Rollup.OutputChunk): output is Rollup.OutputChunk {
  return output.type === "chunk";
}

function formatKb(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`;
}

/**
 * Reports, after each build, how much gzipped JavaScript each budgeted route needs before it can
 * render (the entry, the route's lazy chunk and their static imports, each file counted once), and
 * fails the build when a route is over its budget. Chunks the route loads later (on focus, on
 * demand) are not counted: they are not needed to show the page.
 */
export function routeBudget(budgets: readonly RouteBudget[]): Plugin {
  let root = process.cwd();
  return {
    name: "tsbin:route-budget",
    apply: "build",
    configResolved(config) {
      root = config.root;
    },
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter(isChunk);
      const entry = chunks.find((chunk) => chunk.isEntry);
      if (!entry) this.error("route-budget: the build has no entry chunk");
      const lines: string[] = [];
      for (const budget of budgets) {
        const modulePath = path.resolve(root, budget.module);
        const routeChunk = chunks.find((chunk) => chunk.facadeModuleId === modulePath);
        if (!routeChunk) this.error(`route-budget: no chunk for ${budget.module}; is it still a lazy route?`);
        const files = new Set<string>();
        const visit = (fileName: string): void => {
          if (files.has(fileName)) return;
          files.add(fileName);
          const output = bundle[fileName];
          if (output && isChunk(output)) output.imports.forEach(visit);
        };
        visit(entry.fileName);
        visit(routeChunk.fileName);
        let total = 0;
        for (const fileName of files) {
          const output = bundle[fileName];
          if (output && isChunk(output)) total += gzipSync(output.code).length;
        }
        const verdict = total <= budget.maxGzipBytes ? "ok" : "OVER BUDGET";
        lines.push(
          `${budget.module}: ${formatKb(total)} gzip of JavaScript in ${files.size} files (budget ${formatKb(budget.maxGzipBytes)}) ${verdict}`,
        );
        if (total > budget.maxGzipBytes) {
          this.error(
            `route-budget: ${budget.module} needs ${formatKb(total)} gzip, over ${formatKb(budget.maxGzipBytes)}`,
          );
        }
      }
      console.log(`\nRoute budgets (JavaScript needed to render each route):\n  ${lines.join("\n  ")}\n`);
    },
  };
}
