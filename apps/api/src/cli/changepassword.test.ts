import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { INSECURE_TEST_PASSWORD_HASHER_PARAMS } from "@tsbin/auth-core/server";
import { createTestDb, type TestDb } from "@tsbin/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUserForLogin } from "../auth/user-store.ts";
import { loadEnv } from "../env.ts";
import { changePassword, changePasswordInteractively } from "./changepassword.ts";
import { CommandError, createCommandContext, type CommandContext } from "./context.ts";
import { createSuperuser } from "./createsuperuser.ts";
import { runManage } from "../testing-processes.ts";

describe("pnpm manage changepassword", () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "tsbin-changepassword-"));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("says an unknown user does not exist before asking for any password, as Django's does", async () => {
    const run = await runManage(["changepassword", "ghost"], { DATA_DIR: dataDir });
    expect(run.stderr).toBe("manage: user 'ghost' does not exist\n");
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain("Password");
  });

  it("refuses in one line, without a terminal to ask at, and says how to do without one", async () => {
    const env = { DATA_DIR: dataDir, TSBIN_SUPERUSER_PASSWORD: "a long admin passphrase" };
    const created = await runManage(["createsuperuser", "--no-input", "--username", "piped", "--email", ""], env);
    expect(created.code).toBe(0);
    const run = await runManage(["changepassword", "piped"], { DATA_DIR: dataDir });
    expect(run.stderr).toBe(
      "manage: changepassword needs a terminal to ask for the new password; use --no-input with TSBIN_PASSWORD\n",
    );
    expect(run.code).toBe(1);
  });
});

describe("changepassword finds the user as a login does", () => {
  let db: TestDb;
  let ctx: CommandContext;

  beforeAll(async () => {
    db = await createTestDb();
    ctx = createCommandContext(db, loadEnv({}), () => undefined, INSECURE_TEST_PASSWORD_HASHER_PARAMS);
    for (const username of ["straße", "root2", "fish"]) {
      const email = username === "fish" ? "fish@example.com" : "";
      await createSuperuser(ctx, { username, email, password: "a long admin passphrase" });
    }
  });
  afterAll(async () => {
    await db.close();
  });

  it.each([
    ["STRASSE", "straße"],
    ["ｒｏｏｔ２", "root2"],
    ["ﬁsh", "fish"],
  ])("finds %s as %s, under NFKC and case folding", async (typed, username) => {
    await changePassword(ctx, typed, "a brand new passphrase");
    const found = await findUserForLogin(db, username);
    expect((await ctx.passwords.verify("a brand new passphrase", found?.passwordHash)).valid).toBe(true);
  });

  it("still does not take an email address for a username", async () => {
    await expect(changePassword(ctx, "fish@example.com", "a brand new passphrase")).rejects.toThrow(
      new CommandError("user 'fish@example.com' does not exist"),
    );
  });
});

describe("changePasswordInteractively", () => {
  let db: TestDb;
  let ctx: CommandContext;
  const output: string[] = [];

  /** Answers the prompts in order, and records what was asked. */
  function answers(...typed: string[]): { ask: (message: string) => Promise<string>; asked: string[] } {
    const asked: string[] = [];
    const ask = (message: string): Promise<string> => {
      asked.push(message);
      const next = typed.shift();
      return next === undefined ? Promise.reject(new Error(`unexpected prompt ${message}`)) : Promise.resolve(next);
    };
    return { ask, asked };
  }

  beforeAll(async () => {
    db = await createTestDb();
    ctx = createCommandContext(db, loadEnv({}), (line) => output.push(line), INSECURE_TEST_PASSWORD_HASHER_PARAMS);
    await createSuperuser(ctx, { username: "Keeper", email: "", password: "a long admin passphrase" });
  });
  afterAll(async () => {
    await db.close();
  });

  it("asks nothing for a user that does not exist", async () => {
    const { ask, asked } = answers("another long passphrase", "another long passphrase");
    await expect(changePasswordInteractively(ctx, "ghost", ask)).rejects.toThrow(
      new CommandError("user 'ghost' does not exist"),
    );
    expect(asked).toEqual([]);
  });

  it("names the user, retries a mismatch and a weak password, then sets the password", async () => {
    output.length = 0;
    const { ask, asked } = answers(
      "one long passphrase",
      "another one",
      "12345678",
      "12345678",
      "a new passphrase",
      "a new passphrase",
    );
    await changePasswordInteractively(ctx, "keeper", ask);
    expect(asked).toHaveLength(6);
    expect(output[0]).toBe("Changing password for user 'Keeper'");
    expect(output).toContain("Passwords do not match. Please try again.");
    expect(output.some((line) => line.includes("This password is entirely numeric."))).toBe(true);
    expect(output.at(-1)).toBe("Password changed successfully for user 'Keeper'.");
    const found = await findUserForLogin(db, "Keeper");
    expect((await ctx.passwords.verify("a new passphrase", found?.passwordHash)).valid).toBe(true);
  });

  it("gives up after three tries", async () => {
    const { ask } = answers("a", "b", "c", "d", "e", "f");
    await expect(changePasswordInteractively(ctx, "Keeper", ask)).rejects.toThrow(
      new CommandError("Aborting password change for user 'Keeper' after 3 attempts"),
    );
  });
});
