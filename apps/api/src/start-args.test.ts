import { describe, expect, it } from "vitest";
import { parseStartArgs } from "./start-args.ts";

describe("parseStartArgs", () => {
  it("reads --workers N and --workers=N, and one process without it", () => {
    expect(parseStartArgs([])).toEqual({ workers: 1 });
    expect(parseStartArgs(["--workers", "2"])).toEqual({ workers: 2 });
    expect(parseStartArgs(["--workers=3"])).toEqual({ workers: 3 });
    expect(parseStartArgs(["--", "--workers", "2"])).toEqual({ workers: 2 });
  });

  it("refuses an argument it does not know, naming it and what it accepts", () => {
    expect(() => parseStartArgs(["--worker", "2"])).toThrow(
      'unknown argument "--worker" (the server accepts only --workers N)',
    );
    expect(() => parseStartArgs(["--bogus"])).toThrow('unknown argument "--bogus"');
    expect(() => parseStartArgs(["--workers", "2", "extra"])).toThrow('unknown argument "extra"');
  });

  it("refuses a worker count that is not a whole number from 1 to 64", () => {
    for (const raw of ["0", "65", "1.5", "1e1", "0x2", " 2", ""]) {
      expect(() => parseStartArgs(["--workers", raw]), raw).toThrow(/^--workers: must be a whole number/);
    }
    expect(() => parseStartArgs(["--workers"])).toThrow("--workers: must be a whole number from 1 to 64 (got nothing)");
  });
});
