import { MAX_NAME_LENGTH, nameBreaches, suggestName } from "../../environment";
import { quote } from "../../problems";
import type { EnvironmentRule } from "../rule";

/** The file name is a valid environment name and `name` equals it (stacks and state keys are named after it). */
export const fileName: EnvironmentRule = {
  name: "file-name",
  description: "the file name is a valid environment name and `name` matches it",
  stage: "draft",
  check({ draft: d, options }) {
    const expected = options.expectedName;
    if (expected === undefined) return [];
    const fileBreaches = nameBreaches(expected, MAX_NAME_LENGTH);
    if (fileBreaches.length) {
      // The file name decides the environment name, so a bad one is fixed by renaming the file, never by copying it.
      const target = d.name ?? suggestName(expected, MAX_NAME_LENGTH);
      return [
        {
          path: "",
          message: `the file name ${quote(expected)} is not a valid environment name: it ${fileBreaches.map((b) => b.message).join("; ")}`,
          fix: target ? `rename the file to ${target}.json (and set "name": ${quote(target)})` : "rename the file to <name>.json with a lowercase name",
        },
      ];
    }
    if (d.name !== undefined && d.name !== expected)
      return [{ path: "name", message: `${quote(d.name)} does not match the file name ${quote(expected)}`, fix: `set "name": ${quote(expected)} or rename the file to ${d.name}.json` }];
    return [];
  },
};
