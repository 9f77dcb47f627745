import { linkSync, mkdirSync, readFileSync, realpathSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Held while an embedded database is open; `release()` lets the next opener in (idempotent). */
export interface DataDirLock {
  release(): void;
}

/** Thrown when another opener holds the data directory: PGlite is a single-process database. */
export class DataDirInUseError extends Error {
  override readonly name = "DataDirInUseError";

  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      pid === process.pid
        ? `the embedded database in ${dataDir} is already open in this process (pid ${pid}); close it first`
        : `the embedded database in ${dataDir} is in use by another process (pid ${pid}); ` +
            "stop it first, or use a PostgreSQL server (DATABASE_URL)",
    );
  }
}

const NO_LOCK: DataDirLock = { release: () => undefined };
/** Another opener that keeps replacing the lock as fast as this one removes it is not waited for forever. */
const MAX_ATTEMPTS = 5;

/** Lock files this process holds; removed on a normal exit, which a SIGKILL or crash skips (see `isStale`). */
const held = new Set<string>();
let exitHookInstalled = false;

/**
 * Takes the exclusive lock on a PGlite data directory: the file `<dataDir>.lock` beside it (not in
 * it, which PGlite owns), holding this process's pid. Throws {@link DataDirInUseError} at once when a
 * live process, or this one, holds it; takes over a lock left by a process that is gone. Directories
 * PGlite keeps outside the file system (`memory://`, `idb://`) need no lock.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const directory = fileSystemPath(dataDir);
  if (directory === undefined) return NO_LOCK;
  const lockPath = `${canonicalPath(directory)}.lock`;
  // Written beside the lock and then linked into place, so the lock never exists without its pid.
  const candidate = `${lockPath}.${process.pid}`;
  writeFileSync(candidate, lockContent(process.pid));
  try {
    for (let attempt = 1; ; attempt += 1) {
      if (tryLink(candidate, lockPath)) break;
      const owner = readOwner(lockPath);
      if (owner && !isStale(owner, lockPath)) throw new DataDirInUseError(directory, owner.pid);
      if (attempt === MAX_ATTEMPTS) throw new Error(`cannot lock ${directory}: ${lockPath} keeps changing`);
      if (owner) removeIfUnchanged(lockPath, owner.inode);
    }
  } finally {
    unlinkSync(candidate);
  }
  held.add(lockPath);
  installExitHook();
  return { release: () => release(lockPath) };
}

/** The directory PGlite stores files in, or undefined when it keeps the database elsewhere. */
function fileSystemPath(dataDir: string): string | undefined {
  if (dataDir.startsWith("file://")) return path.resolve(dataDir.slice("file://".length));
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(dataDir) ? undefined : path.resolve(dataDir);
}

/** One lock per directory, however it is spelled: through a symbolic link, or not yet created. */
function canonicalPath(directory: string): string {
  try {
    return realpathSync(directory);
  } catch {
    const parent = path.dirname(directory);
    mkdirSync(parent, { recursive: true });
    return path.join(realpathSync(parent), path.basename(directory));
  }
}

function tryLink(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (error) {
    if (errorCode(error) === "EEXIST") return false;
    throw error;
  }
}

interface LockOwner {
  /** 0 when unreadable. */
  pid: number;
  /** When the process started, in clock ticks since boot (Linux); undefined when not recorded. */
  startTime: string | undefined;
  inode: number;
}

/** The pid, and where the system tells it, when that process started: a pid reused later has another. */
function lockContent(pid: number): string {
  const startTime = processStartTime(pid);
  return startTime === undefined ? `${pid}\n` : `${pid} ${startTime}\n`;
}

/** Field 22 of /proc/<pid>/stat (after the command name, which may hold spaces); undefined elsewhere. */
function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

/** The lock's owner and inode; undefined when it vanished meanwhile. */
function readOwner(lockPath: string): LockOwner | undefined {
  try {
    const inode = statSync(lockPath).ino;
    const [pidText = "", startTime] = readFileSync(lockPath, "utf8").trim().split(" ");
    const pid = Number(pidText);
    return { pid: Number.isSafeInteger(pid) && pid > 0 ? pid : 0, startTime, inode };
  } catch (error) {
    if (errorCode(error) === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * A lock is stale when its process is gone, or when the process with its pid started at another
 * time (the pid was reused after a crash). Our own pid in a lock this process does not hold was left
 * by an earlier process that had the same pid (a container restarted, say).
 */
function isStale({ pid, startTime }: LockOwner, lockPath: string): boolean {
  if (pid === 0) return true;
  if (pid === process.pid) return !held.has(lockPath);
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return errorCode(error) === "ESRCH";
  }
  const current = processStartTime(pid);
  return startTime !== undefined && current !== undefined && current !== startTime;
}

/**
 * Removes a stale lock unless it was replaced since it was read: two processes taking over the same
 * stale lock at once must not remove each other's fresh one.
 */
function removeIfUnchanged(lockPath: string, inode: number): void {
  try {
    if (statSync(lockPath).ino === inode) unlinkSync(lockPath);
  } catch (error) {
    if (errorCode(error) !== "ENOENT") throw error;
  }
}

function release(lockPath: string): void {
  if (!held.delete(lockPath)) return;
  try {
    if (readOwner(lockPath)?.pid === process.pid) unlinkSync(lockPath);
  } catch {
    // Already gone, or unreadable: the next opener judges it by its pid either way.
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A server that exits without closing its database (process.exit in a signal handler) still
  // leaves the directory free, so the next opener does not have to judge a stale lock.
  process.on("exit", () => {
    for (const lockPath of [...held]) release(lockPath);
  });
}

function errorCode(error: unknown): unknown {
  return error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
}
