import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { sourceRevision } from "./machine.ts";

describe("sourceRevision", () => {
  let dir = "";
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function git(...args: string[]): string {
    return execFileSync("git", args, { cwd: dir, encoding: "utf8" }).trim();
  }

  it("names the commit measured, and says when tracked files differed from it", () => {
    dir = mkdtempSync(path.join(tmpdir(), "tsbin-revision-"));
    git("init", "-q");
    writeFileSync(path.join(dir, "a.txt"), "one\n");
    git("add", "a.txt");
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "one");
    const commit = git("rev-parse", "--short=12", "HEAD");
    expect(sourceRevision(dir)).toBe(commit);
    writeFileSync(path.join(dir, "untracked.txt"), "results of a run\n");
    expect(sourceRevision(dir)).toBe(commit);
    writeFileSync(path.join(dir, "a.txt"), "two\n");
    expect(sourceRevision(dir)).toBe(`${commit} with uncommitted changes`);
  });

  it("says it does not know outside a git checkout", () => {
    dir = mkdtempSync(path.join(tmpdir(), "tsbin-revision-"));
    expect(sourceRevision(dir)).toBe("?");
  });
});
