import { invalidUtf8Offset, readJsonBytes, readJsonText } from "../../../core/problems";

const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));

// Each case: the text, where the mistake is (line, column: the character a person has to change), and the cause named.
const cases: Array<[string, string | Buffer, number, number, RegExp]> = [
  ["UTF-8 byte-order mark", "\ufeff{}", 1, 1, /byte-order mark/],
  ["UTF-16 file", bytes([0xff, 0xfe], '{"a":1}'), 1, 1, /UTF-16/],
  ["line comment", '{\n  // the account\n  "a": 1\n}', 2, 3, /comments \(\/\/\) are not allowed/],
  ["block comment", '{"a": /* x */ 1}', 1, 7, /comments \(\/\* \*\/\) are not allowed/],
  ["NaN", '{"a": NaN}', 1, 7, /NaN is not a JSON value/],
  ["Infinity", '{"a": Infinity}', 1, 7, /Infinity is not a JSON value/],
  ["-Infinity", '{"a": -Infinity}', 1, 7, /-Infinity is not a JSON value/],
  ["trailing comma in an array", '{"a": [1, 2,]}', 1, 12, /trailing comma before "\]"/],
  ["trailing comma in an object", '{\n  "a": 1,\n}', 2, 9, /trailing comma before "}"/],
  ["single-quoted key", "{'a': 1}", 1, 2, /keys must use double quotes/],
  ["single-quoted string", "{\"a\": 'x'}", 1, 7, /strings must use double quotes/],
  ["unquoted key", "{a: 1}", 1, 2, /object keys must be double-quoted \(found a\)/],
  ["unquoted word", '{"a": yes}', 1, 7, /unexpected word yes/],
  ["empty file", "", 1, 1, /the file is empty/],
  ["only whitespace", " \n\t", 1, 1, /the file is empty/],
  ["invalid UTF-8", bytes('{"a": "caf', [0xe9], '"}'), 1, 11, /invalid UTF-8 \(byte 0xE9\)/],
  ["overlong UTF-8", bytes('{"a": "', [0xc0, 0xaf], '"}'), 1, 8, /invalid UTF-8 \(byte 0xC0\)/],
  ["UTF-8 surrogate", bytes('{\n"a": "', [0xed, 0xa0, 0x80], '"}'), 2, 7, /invalid UTF-8 \(byte 0xED\)/],
  ["line break inside a string", '{"a": "x\ny"}', 1, 7, /string not closed on its line/],
  ["raw tab inside a string", '{"a": "x\ty"}', 1, 9, /unescaped control character U\+0009/],
  ["invalid escape", '{"a": "C:\\dir"}', 1, 10, /invalid escape \\d/],
  ["short unicode escape", '{"a": "\\u12"}', 1, 8, /\\u must be followed by 4 hexadecimal digits/],
  ["leading zero", '{"a": 007}', 1, 7, /leading zeros/],
  ["hexadecimal", '{"a": 0x1F}', 1, 7, /hexadecimal numbers are not JSON/],
  ["leading decimal point", '{"a": .5}', 1, 7, /cannot start with a decimal point/],
  ["trailing decimal point", '{"a": 1.}', 1, 8, /a digit must follow the decimal point/],
  ["plus sign", '{"a": +1}', 1, 7, /cannot start with \+/],
  ["missing comma", '{"a": 1\n "b": 2}', 2, 2, /expected "," or "}" after the value/],
  ["missing colon", '{"a" 1}', 1, 6, /expected ":" after the key/],
  ["unclosed array", '{"a": [1, 2', 1, 12, /the file ends inside an array opened at line 1, column 7/],
  ["unclosed string", '{"a": "x', 1, 7, /string never closed/],
  ["mismatched bracket", '{"a": [1}', 1, 9, /"}" closes nothing here: an array opened at line 1, column 7 is still open/],
  ["text after the value", "{}\n{}", 2, 1, /after the end of the JSON value/],
  ["columns count characters, not bytes", '{"é😀": 1,}', 1, 9, /trailing comma/],
];

describe("readJsonBytes: the real cause and position of invalid JSON, on one line", () => {
  it.each(cases)("%s", (_name, input, line, column, cause) => {
    const r = readJsonBytes(typeof input === "string" ? Buffer.from(input, "utf8") : input);
    expect("error" in r && { line: r.error.line, column: r.error.column, message: r.error.message }).toEqual({ line, column, message: expect.stringMatching(cause) });
    if ("error" in r) expect(`${r.error.message} -> ${r.error.fix}`).not.toMatch(/\n/);
  });

  it("accepts what JSON.parse accepts, with the same value", () => {
    for (const text of ['{"a": [1, -2.5e3, true, false, null, {}], "b": "\\u00e9\\n\\"", "c": []}', "[]", '"x"', "0", ' {"nested": {"deeper": [[[]]]}} ']) {
      const r = readJsonText(text);
      expect("value" in r && r.value).toEqual(JSON.parse(text));
    }
  });

  it("reports every duplicate key with its path and position; JSON.parse keeps the last value", () => {
    const r = readJsonText('{"a": 1, "b": {"c": 1,\n "c": 2}, "a": 3}');
    expect(r).toEqual({ value: { a: 3, b: { c: 2 } }, duplicateKeys: [{ path: ["b", "c"], line: 2, column: 2 }, { path: ["a"], line: 2, column: 11 }] });
  });

  it("deep nesting cannot overflow the stack", () => {
    const depth = 100_000;
    expect("value" in readJsonText("[".repeat(depth) + "]".repeat(depth))).toBe(true);
    expect(readJsonText("[".repeat(depth))).toMatchObject({ error: { message: expect.stringMatching(/ends inside an array/) } });
  });

  it("finds the first invalid UTF-8 sequence", () => {
    expect(invalidUtf8Offset(Buffer.from("ascii é 😀", "utf8"))).toBeUndefined();
    expect(invalidUtf8Offset(Buffer.from([0x61, 0xf4, 0x90, 0x80, 0x80]))).toBe(1); // above U+10FFFF
    expect(invalidUtf8Offset(Buffer.from([0x61, 0xe2, 0x82]))).toBe(1); // truncated
  });
});
