import { describe, expect, it } from "vitest";
import { BatchedLookup, MAX_IDS_PER_LOOKUP } from "./session-lookup.ts";

interface Row {
  id: string;
  owner: string;
}

/** A lookup over a fixed table that records the ids of every call. */
function recordingLookup(known: readonly string[], fail = () => false) {
  const calls: string[][] = [];
  const lookup = new BatchedLookup<Row>((ids) => {
    calls.push([...ids]);
    if (fail()) return Promise.reject(new Error("database unavailable"));
    return Promise.resolve(ids.filter((id) => known.includes(id)).map((id) => ({ id, owner: `owner of ${id}` })));
  });
  return { lookup, calls };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("BatchedLookup", () => {
  it("looks up the ids asked for in one turn together, and gives each caller its own row", async () => {
    const { lookup, calls } = recordingLookup(["a", "b", "c"]);
    const rows = await Promise.all(["a", "b", "missing", "c"].map((id) => lookup.find(id)));
    expect(calls).toEqual([["a", "b", "missing", "c"]]);
    expect(rows.map((row) => row?.owner)).toEqual(["owner of a", "owner of b", undefined, "owner of c"]);
  });

  it("asks once for an id requested twice in a turn, and answers both", async () => {
    const { lookup, calls } = recordingLookup(["a"]);
    const [first, second] = await Promise.all([lookup.find("a"), lookup.find("a")]);
    expect(calls).toEqual([["a"]]);
    expect(first?.owner).toBe("owner of a");
    expect(second?.owner).toBe("owner of a");
  });

  it("looks up ids of different turns separately", async () => {
    const { lookup, calls } = recordingLookup(["a", "b"]);
    expect((await lookup.find("a"))?.owner).toBe("owner of a");
    await nextTurn();
    expect((await lookup.find("b"))?.owner).toBe("owner of b");
    expect(calls).toEqual([["a"], ["b"]]);
  });

  it("splits a large turn into statements of at most MAX_IDS_PER_LOOKUP ids, answering every caller", async () => {
    const ids = Array.from({ length: 2 * MAX_IDS_PER_LOOKUP + 5 }, (_, i) => `id${i}`);
    const { lookup, calls } = recordingLookup(ids);
    const rows = await Promise.all(ids.map((id) => lookup.find(id)));
    expect(calls.map((call) => call.length)).toEqual([MAX_IDS_PER_LOOKUP, MAX_IDS_PER_LOOKUP, 5]);
    expect(rows.map((row) => row?.id)).toEqual(ids);
  });

  it("rejects its callers when the lookup throws at once, instead of ending the process", async () => {
    const lookup = new BatchedLookup<Row>(() => {
      throw new Error("no connection");
    });
    const results = await Promise.allSettled([lookup.find("a"), lookup.find("b")]);
    expect(results).toEqual([
      { status: "rejected", reason: new Error("no connection") },
      { status: "rejected", reason: new Error("no connection") },
    ]);
  });

  it("rejects every caller of a failed statement, and looks up afresh in the next turn", async () => {
    let failing = true;
    const { lookup } = recordingLookup(["a", "b"], () => failing);
    const results = await Promise.allSettled([lookup.find("a"), lookup.find("b"), lookup.find("a")]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected", "rejected"]);
    failing = false;
    expect((await lookup.find("b"))?.owner).toBe("owner of b");
  });
});
