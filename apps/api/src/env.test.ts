import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, loadEnv } from "./env.ts";

function errorOf(vars: Record<string, string>): string {
  try {
    loadEnv(vars);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return (error as Error).message;
  }
  throw new Error("loadEnv accepted the configuration");
}

describe("loadEnv", () => {
  it("has working defaults: embedded database, port 3000, file email, no proxy", () => {
    const env = loadEnv({});
    expect(env).toMatchObject({
      databaseUrl: undefined,
      port: 3000,
      publicUrl: "http://localhost:3000",
      trustedOrigins: ["http://localhost:3000"],
      emailBackend: "file",
      trustProxy: false,
      passwordHashers: ["argon2", "pbkdf2_sha256", "pbkdf2_sha1", "scrypt", "bcrypt_sha256", "bcrypt"],
    });
    expect(env.dataDir).toMatch(/\.data$/);
  });

  it("resolves a relative DATA_DIR against the folder the command was typed in (INIT_CWD), as pnpm sets it", () => {
    // `pnpm manage` runs inside apps/api while `pnpm start` runs at the root: both must open the same folder.
    expect(loadEnv({ DATA_DIR: "./reldata", INIT_CWD: "/srv/tsbin" }).dataDir).toBe("/srv/tsbin/reldata");
    expect(loadEnv({ DATA_DIR: "/var/lib/tsbin", INIT_CWD: "/srv/tsbin" }).dataDir).toBe("/var/lib/tsbin");
    expect(loadEnv({ DATA_DIR: "reldata" }).dataDir).toBe(path.join(process.cwd(), "reldata"));
  });

  it("treats empty variables as unset", () => {
    expect(loadEnv({ DATABASE_URL: "", PORT: "" })).toMatchObject({ databaseUrl: undefined, port: 3000 });
  });

  it("derives PUBLIC_URL from PORT and adds trusted origins", () => {
    const env = loadEnv({ PORT: "8080", TRUSTED_ORIGINS: "https://a.example, https://b.example/" });
    expect(env.publicUrl).toBe("http://localhost:8080");
    expect(env.trustedOrigins).toEqual(["http://localhost:8080", "https://a.example", "https://b.example"]);
  });

  it("names the variable and the problem in one line", () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ DATABASE_URL: "not-a-url" }, /^DATABASE_URL: must be a postgres:\/\/ URL.*"not-a-url"/],
      [{ DATABASE_URL: "mysql://x@y/z" }, /^DATABASE_URL: /],
      [{ PORT: "eighty" }, /^PORT: /],
      [{ PORT: "70000" }, /^PORT: must be between 1 and 65535/],
      [{ PUBLIC_URL: "ftp://x" }, /^PUBLIC_URL: must be an http\(s\) URL/],
      [
        { PUBLIC_URL: "http://localhost:3119/tsbin?x=1" },
        /^PUBLIC_URL: "http:\/\/localhost:3119\/tsbin\?x=1" must be an origin only .*http:\/\/localhost:3119\)/,
      ],
      [{ PUBLIC_URL: "https://user:pw@bin.example" }, /^PUBLIC_URL: a URL with credentials must be an origin only/],
      [
        { TRUSTED_ORIGINS: "https://ok.example,https://a.example/app" },
        /^TRUSTED_ORIGINS: "https:\/\/a.example\/app" must be an origin only/,
      ],
      [{ TRUSTED_ORIGINS: "https://ok.example,nope" }, /^TRUSTED_ORIGINS: "nope"/],
      [{ EMAIL_BACKEND: "pigeon" }, /^EMAIL_BACKEND: must be one of console, file, smtp/],
      [{ EMAIL_BACKEND: "smtp" }, /^SMTP_URL: is required when EMAIL_BACKEND=smtp/],
      [{ TRUST_PROXY: "yes" }, /^TRUST_PROXY: must be "true" or "false"/],
      [{ PASSWORD_HASHERS: "argon2,rot13" }, /^PASSWORD_HASHERS: unknown hasher "rot13"/],
      [{ PASSWORD_HASHERS: " , " }, /^PASSWORD_HASHERS: must name at least one hasher/],
      [{ PASSWORD_HASHERS: "md5" }, /^PASSWORD_HASHERS: "md5" can only verify old hashes and cannot come first/],
      [{ PASSWORD_HASHERS: "bcrypt,argon2" }, /^PASSWORD_HASHERS: "bcrypt" can only verify old hashes/],
      [{ PASSWORD_HASHERS: "argon2,scrypt,argon2" }, /^PASSWORD_HASHERS: "argon2" is listed twice/],
      [{ LOG_LEVEL: "loud" }, /^LOG_LEVEL: /],
    ];
    for (const [vars, expected] of cases) {
      const message = errorOf(vars);
      expect(message, JSON.stringify(vars)).toMatch(expected);
      expect(message).not.toContain("\n");
    }
  });

  it("takes PORT as decimal digits from 1 to 65535 only", () => {
    expect(loadEnv({ PORT: "3335" }).port).toBe(3335);
    expect(loadEnv({ PORT: "65535" }).port).toBe(65535);
    // Number() reads " " as 0 (a random port), "0x0D05" as 3333 and "1e3" as 1000.
    for (const value of [" ", "0", "00", "0x0D05", "1e3", "3000.0", "+3000", "-1", "65536", " 3000"]) {
      expect(errorOf({ PORT: value }), JSON.stringify(value)).toMatch(/^PORT: must be/);
    }
  });

  it("never repeats the password of a URL it refuses, whichever the variable", () => {
    const cases: [Record<string, string>, string][] = [
      [{ DATABASE_URL: "postgresx://admin:S3cretPw@db/x" }, '"postgresx://admin:***@db/x"'],
      [{ EMAIL_BACKEND: "smtp", SMTP_URL: "smtpx://mailer:S3cretPw@mail:587" }, '"smtpx://mailer:***@mail:587"'],
      [{ DATABASE_URL: "admin:S3cretPw@db/x" }, '"admin:***@db/x"'],
      [{ DATABASE_URL: "postgresx://admin:S3c@ret/Pw@db/x" }, '"postgresx://admin:***@db/x"'],
      [{ LOG_LEVEL: "http://u:S3cretPw@h" }, '"http://u:***@h"'],
    ];
    for (const [vars, shown] of cases) {
      const message = errorOf(vars);
      expect(message).toContain(shown);
      expect(message).not.toMatch(/S3c/);
    }
    // Nothing to hide: shown as it is.
    expect(errorOf({ DATABASE_URL: "postgresx://admin@db:5432/x" })).toContain('"postgresx://admin@db:5432/x"');
  });
});
