/*
 * A small evaluator of the CloudWatch metric-math the baseline writes, at one timestamp, so tests can check what an
 * alarm or a graph computes rather than how its text reads. Covers what the baseline uses: numbers, query IDs,
 * + - * /, comparisons, IF(cond, a, b), FILL(x, value), MAX([..]) and SUM([..])
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html). A query ID without a value
 * is a missing data point (undefined), as CloudWatch has none at that timestamp.
 */

type Value = number | undefined | Value[];

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(>=|<=|==|!=|[-+*/(),<>[\]]))/y;

function tokenize(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(text);
    if (!m) throw new Error(`cannot read ${text.slice(TOKEN.lastIndex)}`);
    out.push(m[1] ?? m[2] ?? m[3]);
  }
  return out;
}

const num = (v: Value): number | undefined => {
  if (Array.isArray(v)) throw new Error("an array where a number is expected");
  return v;
};
const binary = (a: Value, b: Value, f: (x: number, y: number) => number): number | undefined => {
  const x = num(a);
  const y = num(b);
  return x === undefined || y === undefined ? undefined : f(x, y);
};

/** Evaluates `expression` with the given query values (undefined: no data point). */
export function evaluate(expression: string, values: Readonly<Record<string, number | undefined>>): number | undefined {
  const tokens = tokenize(expression);
  let i = 0;
  const peek = () => tokens[i];
  const take = (t?: string) => {
    const got = tokens[i++];
    if (t !== undefined && got !== t) throw new Error(`expected ${t}, got ${got} in ${expression}`);
    return got;
  };
  const call = (name: string): Value => {
    take("(");
    const args: Value[] = [comparison()];
    while (peek() === ",") (take(","), args.push(comparison()));
    take(")");
    if (name === "IF") {
      const cond = num(args[0]);
      return cond === undefined ? undefined : cond ? args[1] : args[2];
    }
    if (name === "FILL") return num(args[0]) ?? num(args[1]);
    const list = (args[0] as Value[]).map(num).filter((v): v is number => v !== undefined);
    if (name === "MAX") return list.length ? Math.max(...list) : undefined;
    if (name === "SUM") return list.length ? list.reduce((a, b) => a + b, 0) : undefined;
    throw new Error(`unknown function ${name}`);
  };
  const primary = (): Value => {
    const t = take();
    if (t === "(") {
      const v = comparison();
      take(")");
      return v;
    }
    if (t === "[") {
      const items: Value[] = [comparison()];
      while (peek() === ",") (take(","), items.push(comparison()));
      take("]");
      return items;
    }
    if (/^\d/.test(t)) return Number(t);
    if (peek() === "(") return call(t);
    if (!(t in values)) throw new Error(`unknown query ${t} in ${expression}`);
    return values[t];
  };
  const product = (): Value => {
    let v = primary();
    while (peek() === "*" || peek() === "/") v = take() === "*" ? binary(v, primary(), (a, b) => a * b) : binary(v, primary(), (a, b) => (b === 0 ? Number.NaN : a / b));
    return v;
  };
  const sum = (): Value => {
    let v = product();
    while (peek() === "+" || peek() === "-") v = take() === "+" ? binary(v, product(), (a, b) => a + b) : binary(v, product(), (a, b) => a - b);
    return v;
  };
  const comparison = (): Value => {
    const v = sum();
    const op = peek();
    if (op !== ">=" && op !== "<=" && op !== ">" && op !== "<") return v;
    take();
    const w = sum();
    return binary(v, w, (a, b) => Number(op === ">=" ? a >= b : op === "<=" ? a <= b : op === ">" ? a > b : a < b));
  };
  const result = comparison();
  if (i !== tokens.length) throw new Error(`left over: ${tokens.slice(i).join(" ")} in ${expression}`);
  return num(result);
}
