/** The 59 checks of SECURITY-CHECKS.md section 1, plus the hygiene checks of issue 7. */
export interface CheckInfo {
  id: string;
  title: string;
}

export const CATALOGUE: readonly CheckInfo[] = [
  { id: "A1", title: "Django hash formats verify (and the pbkdf2 vector is reproduced)" },
  { id: "A2", title: "legacy hashes upgraded on success only" },
  { id: "A3", title: "unusable passwords never verify" },
  { id: "A4", title: "no truncation, trimming or composition rules; length policy" },
  { id: "A5", title: "huge passwords refused before hashing" },
  { id: "S1", title: "session fixation / account switch" },
  { id: "S2", title: "token entropy; only hashes at rest" },
  { id: "S3", title: "logout ends the session server-side" },
  { id: "S4", title: "password change ends the other sessions" },
  { id: "S5", title: "expiry and sliding renewal" },
  { id: "S6", title: "malformed session cookies" },
  { id: "S7", title: "cookie attributes; token never visible" },
  { id: "S8", title: "disabled or deleted users lose access" },
  { id: "X1", title: "cross-origin mutations refused" },
  { id: "X2", title: "simple-request CSRF refused" },
  { id: "X3", title: "Fetch-Metadata gaps and login CSRF" },
  { id: "X4", title: "no state change through GET" },
  { id: "X5", title: "cross-site attack in a real browser" },
  { id: "Z1", title: "unauthenticated access to protected procedures" },
  { id: "Z2", title: "admin procedures by role" },
  { id: "Z3", title: "IDOR and data exposure" },
  { id: "Z4", title: "mass assignment" },
  { id: "Z5", title: "prototype pollution" },
  { id: "Z6", title: "staff escalation" },
  { id: "Z7", title: "stale permissions" },
  { id: "R1", title: "reset token replay" },
  { id: "R2", title: "reset token expiry" },
  { id: "R3", title: "reset token dies with account events" },
  { id: "R4", title: "reset token entropy, storage, malformed tokens" },
  { id: "R5", title: "Host-header poisoning; token leaving the URL" },
  { id: "R6", title: "reset ends all sessions, no auto-login, notice sent" },
  { id: "R7", title: "Unicode email collision; inactive/unusable accounts" },
  { id: "E1", title: "login errors reveal nothing" },
  { id: "E2", title: "login timing oracle" },
  { id: "E3", title: "reset and signup reveal nothing" },
  { id: "L1", title: "brute force on one account from many IPs" },
  { id: "L2", title: "password spraying from one IP" },
  { id: "L3", title: "no malicious lockout" },
  { id: "L4", title: "limiter bypasses" },
  { id: "L5", title: "other expensive endpoints limited" },
  { id: "V1", title: "malformed envelopes" },
  { id: "V2", title: "type confusion" },
  { id: "V3", title: "body size, nesting, batch size" },
  { id: "V4", title: "strings PostgreSQL or Unicode cannot handle" },
  { id: "V5", title: "confusable usernames" },
  { id: "V6", title: "email uniqueness" },
  { id: "V7", title: "SQL injection" },
  { id: "V8", title: "stored XSS" },
  { id: "V9", title: "open redirect via ?next=" },
  { id: "V10", title: "security headers; CORS" },
  { id: "C1", title: "concurrent signups" },
  { id: "C2", title: "lost updates to counters and limits" },
  { id: "C3", title: "double use of a reset token" },
  { id: "C4", title: "TOCTOU in password change and logout" },
  { id: "F1", title: "database unavailable or hung" },
  { id: "F2", title: "recovery after a database restart" },
  { id: "F3", title: "no half-written signup" },
  { id: "F4", title: "authorization fails closed" },
  { id: "F5", title: "no acknowledged write lost on a crash" },
];

export const HYGIENE: readonly CheckInfo[] = [
  { id: "H1", title: "no secrets or tokens in the server logs" },
  { id: "H2", title: "pnpm audit --prod" },
];

export const ALL_CHECKS: readonly CheckInfo[] = [...CATALOGUE, ...HYGIENE];

/** Test names start with the check id: "S1 login answers ..." */
export const CHECK_ID_PATTERN = /^([A-Z]\d+)\b/u;

/** Marks a test that only asserts a pending check's reason still holds. */
export const PENDING_MARK = "[pending]";
