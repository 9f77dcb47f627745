import {
  PASSWORD_HASHER_NAMES,
  parsePasswordHashers,
  PasswordHasherConfigError,
  type PasswordHasherName,
} from "@tsbin/auth-core/server";
import path from "node:path";
import { z } from "zod";
import { REPO_ROOT } from "./paths.ts";
import { withoutPassword } from "./without-password.ts";

const EMAIL_BACKENDS = ["console", "file", "smtp"] as const;
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
const DEFAULT_HASHERS = "argon2,pbkdf2_sha256,pbkdf2_sha1,scrypt,bcrypt_sha256,bcrypt";

const PORT_RANGE = { message: "must be between 1 and 65535" };

const emptyAsUndefined = (value: unknown): unknown => (value === "" ? undefined : value);

const booleanFlag = z.preprocess(
  emptyAsUndefined,
  z
    .enum(["true", "false", "1", "0"], { message: 'must be "true" or "false"' })
    .default("false")
    .transform((v) => v === "true" || v === "1"),
);

const httpOrigin = z.url({ protocol: /^https?$/, message: "must be an http(s) URL such as https://bin.example.com" });

const schema = z
  .object({
    DATABASE_URL: z.preprocess(
      emptyAsUndefined,
      z
        .url({ protocol: /^postgres(ql)?$/, message: "must be a postgres:// URL (or unset for the embedded database)" })
        .optional(),
    ),
    DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default(path.join(REPO_ROOT, ".data"))),
    HOST: z.preprocess(emptyAsUndefined, z.string().min(1).default("localhost")),
    // Digits only: Number() would also take " " (0, a random port), "0x0D05" and "1e3".
    PORT: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^\d+$/, { message: "must be a port number (decimal digits only)" })
        .transform(Number)
        .pipe(z.number().min(1, PORT_RANGE).max(65535, PORT_RANGE))
        .default(3000),
    ),
    PUBLIC_URL: z.preprocess(emptyAsUndefined, httpOrigin.optional()),
    TRUSTED_ORIGINS: z.preprocess(emptyAsUndefined, z.string().optional()),
    EMAIL_BACKEND: z.preprocess(
      emptyAsUndefined,
      z.enum(EMAIL_BACKENDS, { message: `must be one of ${EMAIL_BACKENDS.join(", ")}` }).default("file"),
    ),
    SMTP_URL: z.preprocess(
      emptyAsUndefined,
      z.url({ protocol: /^smtps?$/, message: "must be an smtp:// or smtps:// URL" }).optional(),
    ),
    TRUST_PROXY: booleanFlag,
    PASSWORD_HASHERS: z.preprocess(emptyAsUndefined, z.string().default(DEFAULT_HASHERS)),
    RATE_LIMIT_SCALE: z.preprocess(
      emptyAsUndefined,
      z.coerce
        .number({ message: "must be a number" })
        .min(1, { message: "must be at least 1 (it multiplies every rate-limit budget)" })
        .default(1),
    ),
    LOG_LEVEL: z.preprocess(
      emptyAsUndefined,
      z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
    ),
  })
  .superRefine((value, ctx) => {
    if (value.EMAIL_BACKEND === "smtp" && !value.SMTP_URL) {
      ctx.addIssue({ code: "custom", path: ["SMTP_URL"], message: "is required when EMAIL_BACKEND=smtp" });
    }
  });

export interface Env {
  databaseUrl: string | undefined;
  dataDir: string;
  host: string;
  port: number;
  /** The site's own origin, without a trailing slash. */
  publicUrl: string;
  /** Origins allowed to send mutations: PUBLIC_URL plus TRUSTED_ORIGINS. */
  trustedOrigins: readonly string[];
  emailBackend: (typeof EMAIL_BACKENDS)[number];
  smtpUrl: string | undefined;
  trustProxy: boolean;
  passwordHashers: readonly PasswordHasherName[];
  /** Multiplies every rate-limit budget; raised only for benchmarks. */
  rateLimitScale: number;
  logLevel: (typeof LOG_LEVELS)[number];
}

/** A configuration problem, phrased as the one line the server prints before exiting. */
export class EnvError extends Error {
  override readonly name = "EnvError";
}

function parseOrigin(raw: string, variable: string): string {
  const value = raw.trim();
  const parsed = httpOrigin.safeParse(value);
  if (!parsed.success)
    throw new EnvError(`${variable}: "${value}" must be an http(s) URL such as https://bin.example.com`);
  // tsbin is served at the root of its host: a path would be silently dropped from emailed links
  // (and no browser sends one in Origin), so anything beyond scheme, host and port is refused.
  const url = new URL(parsed.data);
  if (url.pathname !== "/" || url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    // A user name or password in the URL is a secret: it is not repeated in the error.
    const shown = url.username !== "" || url.password !== "" ? "a URL with credentials" : `"${value}"`;
    throw new EnvError(
      `${variable}: ${shown} must be an origin only (scheme, host and port, such as ${url.origin}): tsbin is served at the root of its host`,
    );
  }
  return url.origin;
}

/** The hasher list, checked as the hashers will check it (a verify-only hasher cannot come first), as one line. */
function parseHashers(raw: string): PasswordHasherName[] {
  const names = raw
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  if (names.length === 0) throw new EnvError("PASSWORD_HASHERS: must name at least one hasher");
  for (const name of names) {
    if (!(PASSWORD_HASHER_NAMES as readonly string[]).includes(name)) {
      throw new EnvError(`PASSWORD_HASHERS: unknown hasher "${name}" (known: ${PASSWORD_HASHER_NAMES.join(", ")})`);
    }
  }
  try {
    return parsePasswordHashers(names);
  } catch (error) {
    if (!(error instanceof PasswordHasherConfigError)) throw error;
    throw new EnvError(error.message.replace(/\.$/, ""));
  }
}

/** Reads and validates the configuration. Throws {@link EnvError} naming the first bad variable. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? "environment");
    const raw = source[variable];
    // Every variable's value is shown masked: a URL with a password may be the one that is wrong.
    const value = raw === undefined ? undefined : withoutPassword(raw);
    const shown = value === undefined ? "" : ` (got "${value.length > 60 ? `${value.slice(0, 60)}…` : value}")`;
    throw new EnvError(`${variable}: ${issue?.message ?? "is invalid"}${shown}`);
  }
  const e = parsed.data;
  const publicUrl = e.PUBLIC_URL ? parseOrigin(e.PUBLIC_URL, "PUBLIC_URL") : `http://localhost:${e.PORT}`;
  const extraOrigins = (e.TRUSTED_ORIGINS ?? "")
    .split(",")
    .filter((origin) => origin.trim().length > 0)
    .map((origin) => parseOrigin(origin, "TRUSTED_ORIGINS"));
  return {
    databaseUrl: e.DATABASE_URL,
    // pnpm runs `pnpm manage` inside apps/api; INIT_CWD is where the command was typed, so a relative
    // DATA_DIR names the same folder for `pnpm start` and `pnpm manage`.
    dataDir: path.resolve(source["INIT_CWD"] ?? process.cwd(), e.DATA_DIR),
    host: e.HOST,
    port: e.PORT,
    publicUrl,
    trustedOrigins: [...new Set([publicUrl, ...extraOrigins])],
    emailBackend: e.EMAIL_BACKEND,
    smtpUrl: e.SMTP_URL,
    trustProxy: e.TRUST_PROXY,
    passwordHashers: parseHashers(e.PASSWORD_HASHERS),
    rateLimitScale: e.RATE_LIMIT_SCALE,
    logLevel: e.LOG_LEVEL,
  };
}
