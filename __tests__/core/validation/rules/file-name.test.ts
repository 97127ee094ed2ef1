import { fileName } from "../../../../core/validation/rules/file-name";
import { ruleTable } from "./rule-table";

ruleTable(fileName, [
  { name: "name equal to the file name", edit: () => {}, problems: [] },
  { name: "no expected name (a file read by path)", edit: (e) => (e.name = "other"), options: { expectedName: undefined }, problems: [] },
  { name: "name differs from the file name", edit: (e) => (e.name = "staging"), problems: [{ path: "name", message: '"staging" does not match the file name "team"' }] },
  { name: "file name with capitals", edit: (e) => (e.name = "Team"), options: { expectedName: "Team" }, problems: [{ path: "", message: /^the file name "Team" is not a valid environment name: it must start with a lowercase letter/ }] },
  { name: "file name too long", edit: () => {}, options: { expectedName: "t".repeat(40) }, problems: [{ path: "", message: /is 40 characters; at most 31$/ }] },
]);
