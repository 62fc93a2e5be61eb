/**
 * A throwaway PostgreSQL server for the tests and `npm run demo -- --postgres`: `initdb` into a temporary folder and `pg_ctl start`
 * listening on a Unix socket only (no TCP port to collide on), about a second. As root (CI), the
 * server runs as the `postgres` user, which owns the folder. Stopped and deleted by `stop()`.
 *
 * The binaries come from `pg_config --bindir` (Debian keeps them off the PATH), else the PATH.
 */
import { execFileSync } from "node:child_process";
import { chownSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface PgServer {
  /** The socket folder: node-postgres's `host`. */
  readonly host: string;
  readonly port: number;
  readonly user: string;
  stop(): void;
}

function binDir(): string {
  try {
    return execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim();
  } catch {
    return "";
  }
}

export function startPostgres(): PgServer {
  const bin = binDir();
  const tool = (name: string) => (bin === "" ? name : join(bin, name));
  const dir = mkdtempSync(join(tmpdir(), "crm-pg-"));
  const data = join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  let uid = 0;
  if (asRoot) {
    uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  const run = (command: string, args: string[]) =>
    asRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", command, ...args], { stdio: "pipe", cwd: dir })
      : execFileSync(command, args, { stdio: "pipe", cwd: dir });
  const user = asRoot ? "postgres" : (process.env.USER ?? "postgres");
  run(tool("initdb"), ["-D", data, "-A", "trust", "-U", user, "-E", "UTF8", "--no-sync", "--no-instructions"]);
  const port = 5432;
  const options = `-k ${dir} -p ${port} -c listen_addresses='' -c fsync=off -c full_page_writes=off -c max_connections=200`;
  run(tool("pg_ctl"), ["-D", data, "-o", options, "-l", join(dir, "log"), "-w", "-t", "60", "start"]);
  return {
    host: dir,
    port,
    user,
    stop() {
      try {
        run(tool("pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
