import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { PasswordRequirements } from "./password-requirements.tsx";

/** The spoken state of each requirement, e.g. { "…too similar…": "not met" }. */
function states(html: string): Record<string, string> {
  const text = html.replaceAll("<!-- -->", "");
  const items = [...text.matchAll(/<li[^>]*>.*?<span>(.*?)<span class="sr-only"> \((.*?)\)<\/span><\/span><\/li>/gu)];
  return Object.fromEntries(items.map(([, label = "", state = ""]) => [label, state]));
}

const SIMILARITY = "Your password can’t be too similar to your other personal information.";

describe("PasswordRequirements", () => {
  it("leaves similarity unchecked when the page does not know the account", () => {
    const html = renderToString(<PasswordRequirements password="carol1234" user={null} />);
    expect(states(html)[SIMILARITY]).toBe("not checked yet");
  });

  it("marks a rule the server reported as not met, even one the page cannot check", () => {
    const html = renderToString(
      <PasswordRequirements password="carol1234" user={null} serverFailures={["password_too_similar"]} />,
    );
    expect(states(html)[SIMILARITY]).toBe("not met");
  });
});
