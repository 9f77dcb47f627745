import { MutationObserver, onlineManager } from "@tanstack/react-query";
import { afterEach, describe, expect, it } from "vitest";
import { queryClient } from "./trpc.ts";

function failToFetch(): Promise<never> {
  return Promise.reject(new TypeError("Failed to fetch"));
}

describe("queryClient while the browser says it is offline", () => {
  afterEach(() => {
    onlineManager.setOnline(true);
    queryClient.clear();
  });

  it("lets a query fail instead of pausing it until the browser is back online", async () => {
    onlineManager.setOnline(false);
    const query = queryClient.fetchQuery({ queryKey: ["offline-query"], queryFn: failToFetch, retry: false });
    await expect(query).rejects.toThrow("Failed to fetch");
  }, 2_000);

  it("lets a mutation fail instead of pausing it until the browser is back online", async () => {
    onlineManager.setOnline(false);
    const observer = new MutationObserver(queryClient, { mutationFn: failToFetch });
    await expect(observer.mutate()).rejects.toThrow("Failed to fetch");
  }, 2_000);
});
