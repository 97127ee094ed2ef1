import { parseStoreUrl } from "../../client/store-url";

describe("parseStoreUrl", () => {
  it.each([
    ["redis://cache.internal", { host: "cache.internal", port: 6379, tls: false, db: 0, shown: "redis://cache.internal" }],
    ["redis://cache.internal:6380/2", { host: "cache.internal", port: 6380, tls: false, db: 2 }],
    ["rediss://cache.internal:6379", { host: "cache.internal", tls: true }],
    ["redis://:s3cret@10.0.0.5:6379", { host: "10.0.0.5", password: "s3cret", shown: "redis://***@10.0.0.5:6379" }],
    ["rediss://fleet:p%40ss%3Aword@cache:6379/0", { username: "fleet", password: "p@ss:word", db: 0, shown: "rediss://***@cache:6379/0" }],
    ["redis://[::1]:6379", { host: "::1", port: 6379 }],
  ])("%s", (url, expected) => {
    expect(parseStoreUrl(url)).toMatchObject(expected);
  });

  it("has no user or password when the URL names none", () => {
    const a = parseStoreUrl("redis://cache:6379");
    expect(a).not.toHaveProperty("password");
    expect(a).not.toHaveProperty("username");
  });

  it.each([
    ["", /is empty/],
    ["cache.internal:6379", /valid URL|redis:\/\/ or rediss:\/\//],
    ["http://cache.internal:6379", /must use redis:\/\/ or rediss:\/\/ \(TLS\), not http/],
    ["redis://cache.internal:0", /port from 1 to 65535/],
    ["redis://cache.internal:/", /port from 1 to 65535/],
    ["redis://cache.internal:6379/db1", /database number/],
    ["redis://cache.internal:6379/0?tls=true", /query string/],
    ["redis://user@cache.internal", /user without a password/],
    ["redis://:%zz@cache.internal", /percent-encoding/],
  ])("refuses %j with a message naming the fix", (url, message) => {
    expect(() => parseStoreUrl(url)).toThrow(message);
  });

  it("never shows the password in a refusal, whatever is wrong", () => {
    for (const url of ["http://admin:hunter2@cache:6379", "redis://admin:hunter2@cache:0", "redis://admin:hunter2@cache/x", "redis://admin:hunter2@cache?x=1"]) {
      let message = "";
      try {
        parseStoreUrl(url);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/\*\*\*@cache/);
      expect(message).not.toContain("hunter2");
      expect(message).not.toContain("admin");
    }
  });
});
