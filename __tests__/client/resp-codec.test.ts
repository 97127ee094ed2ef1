import { encodeCommand, RespError, RespParser, RespProtocolError, type RespValue } from "../../client/resp-codec";

// RESP2 as https://redis.io/docs/latest/develop/reference/protocol-spec/ writes it; expected bytes are the spec's.

describe("encodeCommand", () => {
  it("writes an array of bulk strings, lengths in bytes (UTF-8), numbers as text", () => {
    expect(encodeCommand(["SET", "k", "é", 42])).toBe("*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\né\r\n$2\r\n42\r\n");
    expect(encodeCommand(["PING"])).toBe("*1\r\n$4\r\nPING\r\n");
    expect(encodeCommand(["ECHO", ""])).toBe("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n");
  });
});

describe("RespParser", () => {
  const parseAll = (text: string): RespValue[] => new RespParser().feed(Buffer.from(text, "utf8"));

  it.each<[string, string, RespValue]>([
    ["simple string", "+OK\r\n", "OK"],
    ["integer", ":1000\r\n", 1000],
    ["negative integer", ":-17\r\n", -17],
    ["bulk string", "$5\r\nhello\r\n", "hello"],
    ["empty bulk string", "$0\r\n\r\n", ""],
    ["bulk string holding CRLF", "$4\r\na\r\nb\r\n", "a\r\nb"],
    ["nil bulk string", "$-1\r\n", null],
    ["nil array", "*-1\r\n", null],
    ["empty array", "*0\r\n", []],
    ["nested array", "*2\r\n*2\r\n:1\r\n:2\r\n$1\r\nx\r\n", [[1, 2], "x"]],
  ])("reads a %s", (_name, text, value) => {
    expect(parseAll(text)).toEqual([value]);
  });

  it("reads an error reply as a value with its code, so the replies after it stay in step", () => {
    const [err, next] = parseAll("-NOSCRIPT No matching script. Please use EVAL.\r\n+OK\r\n");
    expect(err).toBeInstanceOf(RespError);
    expect((err as RespError).code).toBe("NOSCRIPT");
    expect((err as RespError).message).toBe("NOSCRIPT No matching script. Please use EVAL.");
    expect(next).toBe("OK");
  });

  it("assembles replies split at every byte boundary, in order", () => {
    const text = "*3\r\n:1\r\n$3\r\nabc\r\n*1\r\n+x\r\n:7\r\n-ERR boom\r\n";
    for (let cut = 1; cut < text.length; cut++) {
      const p = new RespParser();
      const got = [...p.feed(Buffer.from(text.slice(0, cut))), ...p.feed(Buffer.from(text.slice(cut)))];
      expect(got.map((v) => (v instanceof RespError ? `E:${v.message}` : v))).toEqual([[1, "abc", ["x"]], 7, "E:ERR boom"]);
      expect(p.pending).toBe(0);
    }
  });

  it("holds back an incomplete reply without losing it", () => {
    const p = new RespParser();
    expect(p.feed(Buffer.from("$10\r\nhello"))).toEqual([]);
    expect(p.pending).toBeGreaterThan(0);
    expect(p.feed(Buffer.from("world\r\n"))).toEqual(["helloworld"]);
  });

  it.each([
    ["an unknown type byte (e.g. a TLS handshake on a plain connection)", "\x16\x03\x01\x00\r\n"],
    ["an integer that is not one", ":12a\r\n"],
    ["a negative bulk length other than -1", "$-2\r\n"],
    ["a bulk string not ended by CRLF", "$2\r\nabXY"],
    ["an absurd array length", `*${2 ** 20}\r\n`],
    ["an absurd bulk length", `$${2 ** 21}\r\n`],
  ])("refuses %s", (_name, text) => {
    expect(() => parseAll(text)).toThrow(RespProtocolError);
  });

  it("refuses replies nested past its depth bound", () => {
    expect(() => parseAll("*1\r\n".repeat(12) + ":1\r\n")).toThrow(/nested deeper/);
  });
});
