// Builds the package in the working directory (modules/ or cli/; npm runs it from there as `npm run build`, and
// prepack runs that): removes dist/, compiles tsconfig.build.json, and copies the data files the compiled code reads
// relative to itself (listed in package.json "packageData": repository paths, copied to dist/<same path>).
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const packageDir = process.cwd();
const root = path.resolve(__dirname, "..");
const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8"));
const dist = path.join(packageDir, "dist");

fs.rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: packageDir, stdio: "inherit" });
for (const pattern of manifest.packageData ?? []) {
  // A folder ending in "/" is copied whole (its *.json files); anything else is one file.
  const files = pattern.endsWith("/") ? fs.readdirSync(path.join(root, pattern)).filter((f) => f.endsWith(".json")).map((f) => pattern + f) : [pattern];
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(dist, file)), { recursive: true });
    fs.copyFileSync(path.join(root, file), path.join(dist, file));
  }
}
